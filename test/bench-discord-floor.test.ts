import { describe, expect, it } from 'vitest';
import { discordFanOutFloorMs, discordGlobalFloorMs } from '../bench/lib/discord-floor.js';

describe("the Discord fan-out bench's floor", () => {
  it("is one thread's bucket for a few channels, the global limit for many, and both together in between", () => {
    // One channel: parent, thread, 5 papers at once, the other 5 when the thread's 5-second window resets.
    expect(discordFanOutFloorMs(1, 10)).toBe(5_006);
    expect(discordFanOutFloorMs(1, 5)).toBe(6);
    // 200 channels: 2,400 requests, 50 at once and then 50 a second.
    expect(discordFanOutFloorMs(200, 10)).toBeGreaterThanOrEqual(((200 * 12 - 50) / 50) * 1000);
    expect(discordFanOutFloorMs(200, 10)).toBeLessThan(((200 * 12) / 50) * 1000 + 100);
    // 20 channels: every thread's last 5 papers wait for its 5-second reset, and then those 100 requests share
    // the global limit (50 at once, then 50 a second): more than either limit alone allows for (4.8 s and 5 s).
    const twenty = discordFanOutFloorMs(20, 10);
    expect(twenty).toBeGreaterThan(5_500);
    expect(twenty).toBeLessThan(7_000);
  });

  it('lets the global bucket\'s first 50 requests go at once under the global limit alone', () => {
    expect(discordGlobalFloorMs(50)).toBe(0);
    expect(discordGlobalFloorMs(2_401)).toBe(47_020);
    // The simulated client pays the same for its requests, and no less.
    expect(discordFanOutFloorMs(200, 10)).toBeGreaterThanOrEqual(discordGlobalFloorMs(200 * 12));
  });
});
