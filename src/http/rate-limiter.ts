import { PaperboyError } from '../errors.js';
import type { Clock } from '../time.js';
import type { Sleep } from './sleep.js';

/** Paces outgoing requests so a long sync stays under an API's request budget. */
export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
  /** Called once the request `take()` admitted has its answer (or failed), for limiters that count from there. */
  release?(): void;
}

export interface RateLimitOptions {
  /** Requests that may go out at once after an idle spell. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

/** Tokens refilled at `perSecond` up to `burst`; `refill()` brings them up to now and returns the count. */
function tokenBucket({ burst, perSecond }: RateLimitOptions, clock: Clock) {
  let tokens = burst;
  let last = clock().getTime();
  return {
    refill(): number {
      const now = clock().getTime();
      tokens = Math.min(burst, tokens + (Math.max(0, now - last) / 1000) * perSecond);
      last = now;
      return tokens;
    },
    spend(): number {
      return --tokens;
    },
  };
}

/**
 * Token bucket by reservation: each call books the next free slot and sleeps until it, so callers queue in
 * order and a fake sleep in tests cannot make it spin.
 */
export function createRateLimiter(options: RateLimitOptions, clock: Clock, sleep: Sleep): RateLimiter {
  const bucket = tokenBucket(options, clock);
  return {
    async take() {
      bucket.refill();
      const tokens = bucket.spend();
      if (tokens < 0) await sleep(Math.ceil((-tokens / options.perSecond) * 1000));
    },
  };
}

/**
 * A budget for requests someone is waiting on: a request goes at once or not at all (rejected with code
 * `budget_exhausted`), so nothing queues behind it, nothing delays other work, and shutting down drains nothing.
 */
export function createNonQueueingLimiter(options: RateLimitOptions, clock: Clock, service: string): RateLimiter {
  const bucket = tokenBucket(options, clock);
  return {
    async take() {
      const tokens = bucket.refill();
      if (tokens < 1) {
        const retryAfterMs = Math.ceil(((1 - tokens) / options.perSecond) * 1000);
        throw new PaperboyError('budget_exhausted', `${service}: interactive request budget used up`, { retryAfterMs, userMessage: `${service} is busy; try again in a minute.` });
      }
      bucket.spend();
    },
  };
}

/**
 * One request at a time, each sent at least `intervalMs` after the previous one was answered: arXiv's "no more
 * than one request every three seconds, one connection at a time". Counting from the answer rather than the
 * send keeps the gap even when a slow answer is followed by a fast one.
 */
export function createSpacedLimiter(intervalMs: number, clock: Clock, sleep: Sleep): RateLimiter {
  let queue: Promise<void> = Promise.resolve();
  let releaseHolder: (() => void) | null = null;
  let answeredAt = Number.NEGATIVE_INFINITY;
  return {
    take() {
      const turn = queue.then(async () => {
        // Checked again after a sleep, as a timer may fire a millisecond before the wall clock says it is time
        // (a few rounds at most, so a test's instant sleep with a frozen clock cannot spin).
        for (let round = 0; round < 3; round++) {
          const wait = answeredAt + intervalMs - clock().getTime();
          if (wait <= 0) break;
          await sleep(wait);
        }
      });
      // The next caller's turn starts only when this one releases.
      queue = turn.then(() => new Promise<void>((resolve) => (releaseHolder = resolve)));
      return turn;
    },
    release() {
      answeredAt = clock().getTime();
      const holder = releaseHolder;
      releaseHolder = null;
      holder?.();
    },
  };
}
