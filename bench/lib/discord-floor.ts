import { DEFAULT_GLOBAL_LIMIT as GLOBAL, DEFAULT_ROUTE_LIMITS, type Limit } from '../../test/fixtures/discord/rate-limits.js';

/**
 * The least wall time `requests` bot requests can take under the global limit alone: the bucket's first 50 go at
 * once, the rest at 50 a second. Counting all of them at 50 a second set the floor a second too high, and a
 * 200-channel fan-out measured 0.98 × it.
 */
export function discordGlobalFloorMs(requests: number): number {
  return (Math.max(0, requests - GLOBAL.limit) / GLOBAL.limit) * GLOBAL.windowMs;
}

/**
 * The least wall time a Discord digest fan-out can take under the fake's limits together: each channel's requests in
 * order (parent, thread, then one post per paper into the thread), an ideal client with no latency sending each as
 * soon as its route's bucket (5 posts per 5 s per channel or thread, 10 threads per 10 s) and the global bucket
 * (50 at once, then 50 a second) allow, channels taking turns. The limits taken one at a time (requests ÷ 50/s,
 * or one thread's 10 papers) give a floor no client can reach at a few dozen channels: there every thread's papers
 * past its first five wait for its 5-second reset, and then all of them share the global limit.
 */
export function discordFanOutFloorMs(channels: number, papers: number): number {
  const messages = DEFAULT_ROUTE_LIMITS['POST /channels/:id/messages']!;
  const threads = DEFAULT_ROUTE_LIMITS['POST /channels/:id/messages/:id/threads']!;
  // Per channel: its channel's message bucket (the parent), its thread-creation bucket, its thread's message bucket.
  const limitOf = (step: number): Limit => (step === 0 ? messages : step === 1 ? threads : messages);
  const bucketOf = (step: number) => (step === 0 ? 0 : step === 1 ? 1 : 2);
  const next = new Int32Array(channels);
  const buckets = Array.from({ length: channels * 3 }, () => ({ remaining: 0, resetAt: -1 }));
  const rate = GLOBAL.limit / GLOBAL.windowMs;
  let tokens = GLOBAL.limit;
  let left = channels * (papers + 2);
  let turn = 0;
  let t = 0;
  for (;;) {
    let sent = false;
    for (let k = 0; k < channels && tokens >= 1; k++) {
      const c = (turn + k) % channels;
      const step = next[c]!;
      if (step >= papers + 2) continue;
      const bucket = buckets[c * 3 + bucketOf(step)]!;
      const limit = limitOf(step);
      if (t >= bucket.resetAt) Object.assign(bucket, { remaining: limit.limit, resetAt: t + limit.windowMs });
      if (bucket.remaining === 0) continue;
      bucket.remaining--;
      tokens--;
      next[c] = step + 1;
      sent = true;
      if (--left === 0) return t;
      turn = c + 1;
    }
    // A channel's next request goes a millisecond after its last, at the soonest; with no global token, the next one.
    const step = tokens >= 1 || sent ? 1 : Math.ceil((1 - tokens) / rate);
    t += step;
    tokens = Math.min(GLOBAL.limit, tokens + step * rate);
  }
}
