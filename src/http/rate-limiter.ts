import type { Clock } from '../time.js';
import type { Sleep } from './sleep.js';

/** Paces outgoing requests so a long sync stays under an API's request budget. */
export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}

export interface RateLimitOptions {
  /** Requests that may go out at once after an idle spell. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

/**
 * Token bucket by reservation: each call books the next free slot and sleeps until it, so callers queue in
 * order and a fake sleep in tests cannot make it spin.
 */
export function createRateLimiter({ burst, perSecond }: RateLimitOptions, clock: Clock, sleep: Sleep): RateLimiter {
  let tokens = burst;
  let last = clock().getTime();
  return {
    async take() {
      const now = clock().getTime();
      tokens = Math.min(burst, tokens + (Math.max(0, now - last) / 1000) * perSecond);
      last = now;
      tokens -= 1;
      if (tokens < 0) await sleep(Math.ceil((-tokens / perSecond) * 1000));
    },
  };
}
