/** Waiting, injectable so tests can record the waits asked for instead of sitting through them. */
export type Sleep = (ms: number) => Promise<void>;

/**
 * At least `ms` of real time. A timer alone can fire up to a millisecond early (Node counts from the loop's
 * cached whole-millisecond clock), and a pacer that spaces posts exactly one second apart then lands a post
 * 999.7 ms after the last one, which a strict rate limit answers with a 429.
 */
export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    const until = performance.now() + ms;
    const check = (): void => {
      const left = until - performance.now();
      if (left > 0) setTimeout(check, Math.ceil(left));
      else resolve();
    };
    setTimeout(check, ms);
  });
