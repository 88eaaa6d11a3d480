import { afterEach, describe, expect, it } from 'vitest';
import { DiscordApi } from '../adapters/discord/api.js';
import { createDiscordRest } from '../adapters/discord/client.js';
import { startFakeDiscord } from './fakes/discord-api.js';

let fake: Awaited<ReturnType<typeof startFakeDiscord>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("a channel's message bucket", () => {
  it('is used again as soon as Discord says it resets, not 100 ms later at each reset', async () => {
    // Scaled down: 5 posts per 150 ms in a channel. 41 posts need 8 resets, so at least 1.2 s. discord.js's default
    // offset of 50 ms is added twice to every reset (when reading Reset-After and when waiting): 2 s or more.
    const window = 150;
    fake = await startFakeDiscord({ routeLimits: { 'POST /channels/:id/messages': { limit: 5, windowMs: window } } });
    const api = new DiscordApi(createDiscordRest({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token }));
    const channel = fake.addChannel();
    const started = performance.now();
    await Promise.all(Array.from({ length: 41 }, (_, i) => api.createMessage(channel, { content: `post ${i}`, allowed_mentions: { parse: [] } })));
    const elapsed = performance.now() - started;
    expect(fake.rateLimited).toEqual([]);
    expect(fake.requests.filter((r) => r.path === `/channels/${channel}/messages` && r.status === 200)).toHaveLength(41);
    expect(elapsed).toBeGreaterThanOrEqual(8 * window - 5);
    // More than half of the 800 ms the default offset costs is left for a slow machine (ours: 10 ms twice a reset).
    expect(elapsed).toBeLessThan(8 * window + 500);
  });
});
