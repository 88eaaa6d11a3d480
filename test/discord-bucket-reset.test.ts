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
    // Scaled down: 5 posts per 300 ms in a channel. 21 posts need 4 resets, so at least 1.2 s. discord.js's default
    // offset of 50 ms is added twice to every reset (when reading Reset-After and when waiting), 1.6 s or more.
    const window = 300;
    fake = await startFakeDiscord({ routeLimits: { 'POST /channels/:id/messages': { limit: 5, windowMs: window } } });
    const api = new DiscordApi(createDiscordRest({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token }));
    const channel = fake.addChannel();
    const started = performance.now();
    await Promise.all(Array.from({ length: 21 }, (_, i) => api.createMessage(channel, { content: `post ${i}`, allowed_mentions: { parse: [] } })));
    const elapsed = performance.now() - started;
    expect(fake.rateLimited).toEqual([]);
    expect(fake.requests.filter((r) => r.path === `/channels/${channel}/messages` && r.status === 200)).toHaveLength(21);
    expect(elapsed).toBeGreaterThanOrEqual(4 * window - 5);
    // Half of the 400 ms the doubled offset costs is left for a slow machine.
    expect(elapsed).toBeLessThan(4 * window + 200);
  });
});
