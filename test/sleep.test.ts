import { describe, expect, it } from 'vitest';
import { realSleep } from '../src/http/sleep.js';

describe('realSleep', () => {
  it('never wakes before the time asked', async () => {
    // A bare timer counts from the loop's cached whole-millisecond clock: after some work in the same tick it
    // fires up to 1 ms early (about 2 in 100 times here). A pacer built on it sent posts 999.7 ms apart and drew
    // 429s from Slack's one-a-second limit.
    let shortest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 300; i++) {
      const busyUntil = performance.now() + (i % 7) * 0.3;
      while (performance.now() < busyUntil);
      const started = performance.now();
      await realSleep(3);
      shortest = Math.min(shortest, performance.now() - started);
    }
    expect(shortest).toBeGreaterThanOrEqual(3);
  });
});
