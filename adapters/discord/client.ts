import { DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';
import type { DiscordSettings } from './settings.js';
import { CHANNEL_UNAVAILABLE } from '../../src/delivery/publisher.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';

export interface DiscordRestOptions {
  /** Per request; discord.js's default is 15 s. */
  timeoutMs?: number;
  /** Retries of 5xx and network errors; discord.js's default is 3. */
  retries?: number;
}

/**
 * The REST client every Discord call goes through. Rate limits are discord.js's: it keeps a queue per bucket
 * (learned from `X-RateLimit-*` headers), waits out `Retry-After` on a 429 and holds all requests to the global
 * 50 per second, so we never pace requests ourselves.
 */
export function createDiscordRest(config: Pick<DiscordSettings, 'DISCORD_API_URL' | 'DISCORD_TOKEN'>, options: DiscordRestOptions = {}): REST {
  const rest = new REST({
    api: config.DISCORD_API_URL,
    version: '10',
    timeout: options.timeoutMs ?? 15_000,
    retries: options.retries ?? 3,
  });
  if (config.DISCORD_TOKEN) rest.setToken(config.DISCORD_TOKEN);
  return rest;
}

/** Discord JSON error codes that mean the channel is gone or the bot was removed from it (DESIGN §6). */
const GONE = new Set([10003, 50001]);

/** Maps a discord.js error to ours, once, so callers see stable codes rather than library classes. */
export function toPaperboyError(error: unknown, action: string): PaperboyError {
  if (error instanceof PaperboyError) return error;
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    if (GONE.has(code)) {
      return new PaperboyError(CHANNEL_UNAVAILABLE, `Discord ${action}: ${error.message} (${code})`, {
        status: error.status,
        cause: error,
        userMessage: "paperboy can't post in this channel: it needs View Channel, Send Messages, Embed Links, Create Public Threads and Send Messages in Threads here (or the channel is gone).",
      });
    }
    return new PaperboyError(`discord_${code || error.status}`, `Discord ${action}: ${error.message} (HTTP ${error.status}, code ${code})`, { status: error.status, cause: error });
  }
  if (error instanceof RateLimitError) {
    return new PaperboyError('discord_rate_limited', `Discord ${action}: rate limited on ${error.route}`, { retryAfterMs: error.retryAfter, cause: error });
  }
  if (error instanceof HTTPError) {
    return new PaperboyError('discord_unavailable', `Discord ${action}: HTTP ${error.status}`, { status: error.status, cause: error });
  }
  return new PaperboyError('discord_unavailable', `Discord ${action}: ${errorMessage(error)}`, { cause: error });
}

/** The Discord JSON error code of a failed call, if it was one. */
export function discordErrorCode(error: unknown): number | null {
  const cause = error instanceof PaperboyError ? error.options.cause : error;
  if (cause instanceof DiscordAPIError) return typeof cause.code === 'number' ? cause.code : Number(cause.code);
  return null;
}
