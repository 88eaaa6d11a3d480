import { DiscordAPIError, HTTPError } from 'discord.js';
import type { DiscordSettings } from './settings.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import { redactUrl, redactUrlsIn } from '../../src/http/redact-url.js';

/**
 * One line for a start-up failure that names the setting to fix. discord.js's REST client has already retried
 * 5xx answers and network errors (three times) by the time this is called, so every failure ends start-up.
 */
export function discordStartupError(error: unknown, action: string, config: Pick<DiscordSettings, 'DISCORD_API_URL'>): PaperboyError {
  const cause = error instanceof PaperboyError && error.options.cause !== undefined ? error.options.cause : error;
  const status = cause instanceof DiscordAPIError || cause instanceof HTTPError ? cause.status : undefined;
  const api = `DISCORD_API_URL=${redactUrl(config.DISCORD_API_URL)}`;
  const line =
    status === 401 || (cause as { code?: unknown }).code === 'TokenInvalid'
      ? `Discord rejected DISCORD_TOKEN (${action}: 401 Unauthorized): copy the bot token from the Developer Portal → Bot → Reset Token.`
      : status !== undefined && status < 500
        ? `${api} answered HTTP ${status} to ${action}; it should be Discord's API base (https://discord.com/api).`
        : `Could not reach Discord at ${api} (${action}: ${status !== undefined ? `HTTP ${status}` : redactUrlsIn(errorMessage(cause))}); check the network or DISCORD_API_URL.`;
  return new PaperboyError('discord_start_failed', line, { cause: error, userMessage: line });
}
