import { DefaultRestOptions, DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';
import { createRateLimiter, type RateLimiter } from '../../src/http/rate-limiter.js';
import { realSleep } from '../../src/http/sleep.js';
import type { DiscordSettings } from './settings.js';
import { CHANNEL_UNAVAILABLE } from '../../src/delivery/publisher.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';

export interface DiscordRestOptions {
  /** Per request; discord.js's default is 15 s. */
  timeoutMs?: number;
  /** Retries of 5xx and network errors; discord.js's default is 3. */
  retries?: number;
  /** Bot-token requests a second across all routes: Discord's global limit, 50 (tests scale it down). */
  globalPerSecond?: number;
}

/**
 * The REST client every Discord call goes through. Rate limits are discord.js's: it keeps a queue per bucket
 * (learned from `X-RateLimit-*` headers), waits out `Retry-After` on a 429 and holds all requests to the global
 * 50 per second. One thing is added: the requests it lets through go out as a steady stream (`globalStream`).
 */
export function createDiscordRest(config: Pick<DiscordSettings, 'DISCORD_API_URL' | 'DISCORD_TOKEN'>, options: DiscordRestOptions = {}): REST {
  const perSecond = options.globalPerSecond ?? DISCORD_GLOBAL_PER_SECOND;
  const stream = globalStream(perSecond);
  const rest = new REST({
    api: config.DISCORD_API_URL,
    version: '10',
    timeout: options.timeoutMs ?? 15_000,
    retries: options.retries ?? 3,
    globalRequestsPerSecond: perSecond,
    offset: RESET_OFFSET_MS,
    makeRequest: async (url, init) => {
      // Interaction callbacks and webhooks (no bot token) are not counted in the global limit.
      if (sentWithBotToken(init)) await stream.take();
      return DefaultRestOptions.makeRequest(url, init);
    },
  });
  if (config.DISCORD_TOKEN) rest.setToken(config.DISCORD_TOKEN);
  return rest;
}

const DISCORD_GLOBAL_PER_SECOND = 50;

/**
 * discord.js's margin past every reset, 50 ms by default. It adds it twice to a bucket's (when it reads
 * `Reset-After` and when it waits), so each reset cost 100 ms more than Discord asks; yet `Reset-After` is relative
 * and read after Discord computed it, so the reset is already no earlier than Discord's. Its global windows need a
 * margin, though: with none, a window was exactly one second, no slower than the bucket behind it, and a wait that
 * ended in the very millisecond the window did opened no new one and let every waiter go at once (1,000 channels:
 * a backlog of 1,000 requests in the bucket, and every digest aborted at the request timeout). 10 ms keeps windows
 * of 1.01 s, a little slower than the bucket, while a bucket's reset costs 20 ms.
 */
const RESET_OFFSET_MS = 10;

/**
 * discord.js counts its 50 a second in fixed windows opened by a request, so the end of one window and the start
 * of the next can let 100 through within milliseconds; Discord refuses the second lot with global 429s, and each
 * then holds every request for the whole Retry-After (a second). A 20-channel digest drew 5 of them and took
 * 1.47 × its floor. The requests discord.js lets go therefore also pass this bucket: at most four fifths of a
 * second's worth at once (leaving room for arrival jitter), then the rate itself. discord.js's windows stay in
 * front of it, so what waits here is at most about a second's worth and never runs into the request timeout.
 */
function globalStream(perSecond: number): RateLimiter {
  return createRateLimiter({ burst: Math.max(1, Math.floor(perSecond * 0.8)), perSecond }, () => new Date(), realSleep);
}

/** Whether discord.js put the bot token on this request (it sends headers as a plain object; any case is read). */
function sentWithBotToken(init: { headers?: unknown }): boolean {
  const headers = init.headers;
  if (headers instanceof Headers) return headers.has('authorization');
  return typeof headers === 'object' && headers !== null && Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
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
