/**
 * When to try again: server hints (`Retry-After`, the IETF `RateLimit` header HF sends) and exponential
 * backoff with jitter when there is no hint.
 */

/** Statuses worth another attempt: request timeout, rate limit, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** The reset time of an IETF RateLimit header such as `"api";r=0;t=55`, in ms; null when absent. */
export function parseRateLimitReset(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /(?:^|[;,\s])t=(\d+(?:\.\d+)?)/.exec(value);
  return match ? Math.round(Number(match[1]) * 1000) : null;
}

/** The wait the server asked for, if any: `Retry-After` first, else the RateLimit reset on a 429. */
export function serverRetryHint(status: number, headers: Record<string, string | undefined>, now: Date): number | null {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== null) return retryAfter;
  return status === 429 ? parseRateLimitReset(headers['ratelimit']) : null;
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random: () => number;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, { baseMs, capMs, random }: BackoffOptions): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
