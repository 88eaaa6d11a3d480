import { afterEach, describe, expect, it } from 'vitest';
import { DiscordApi } from '../adapters/discord/api.js';
import { createDiscordRest } from '../adapters/discord/client.js';
import { startFakeDiscord } from './fakes/discord-api.js';

let fake: Awaited<ReturnType<typeof startFakeDiscord>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Discord's global request limit", () => {
  it('is never overrun at the edge of a second: requests go as a steady stream, not one full second after another', async () => {
    // Scaled down tenfold: 10 bot requests a second, as a bucket (Discord's 50 a second). discord.js alone counts
    // fixed one-second windows from the first request: the end of one and the start of the next let 2 × 10 through
    // within a few milliseconds, and Discord refuses the second lot with global 429s (each then waits a second).
    fake = await startFakeDiscord({ globalLimit: { limit: 10, windowMs: 1000 } });
    const api = new DiscordApi(createDiscordRest({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token }, { globalPerSecond: 10 }));
    const channels = Array.from({ length: 20 }, () => fake!.addChannel());
    const started = performance.now();
    await api.getChannel(channels[0]!);
    await sleep(850);
    await Promise.all(channels.slice(1).map((id) => api.getChannel(id)));
    expect(fake.rateLimited).toEqual([]);
    // 20 requests at 10 a second, the first 10 at once: about a second, not the seconds 429s cost.
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('does not hold back interaction answers, which Discord does not count in it', async () => {
    fake = await startFakeDiscord({ globalLimit: { limit: 10, windowMs: 1000 } });
    const rest = createDiscordRest({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token }, { globalPerSecond: 10 });
    const channels = Array.from({ length: 20 }, () => fake!.addChannel());
    // Straight to the request function discord.js calls once its own queues let a request go: 20 bot requests
    // then one interaction answer, all at once. The bucket lets 8 bot requests go at once and the rest 10 a second.
    const send = (path: string, init: Record<string, unknown>) => rest.options.makeRequest(`${fake!.url}/v10${path}`, init as never);
    const lookups = channels.map((id) => send(`/channels/${id}`, { method: 'GET', headers: { Authorization: `Bot ${fake!.token}` } }));
    const interaction = fake.registerInteraction(fake.interaction.command(channels[0]!, 'help'));
    const body = JSON.stringify({ type: 4, data: { content: 'Answered.', allowed_mentions: { parse: [] } } });
    const answer = await send(`/interactions/${interaction.id}/${interaction.token}/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const looked = () => fake!.requests.filter((r) => r.path.startsWith('/channels/')).length;
    expect(answer.status).toBe(204);
    expect(interaction.response).toMatchObject({ type: 4 });
    // Answered while the bot requests past the first 8 still wait their turn.
    expect(looked()).toBeLessThan(12);
    await Promise.all(lookups);
    expect(looked()).toBe(20);
    expect(fake.rateLimited).toEqual([]);
  });

  it('lets at most a second\'s worth go when a wait for the limit ends, however many requests waited for it', async () => {
    // discord.js holds requests past its 10 (here) a second until its window resets. With no offset, a wait that
    // ended in the very millisecond the window did opened no new window and let every waiter go at once; the bucket
    // then held them past the request timeout (1,000 channels: every digest aborted). With no offset this failed in
    // 3 of 4 runs.
    fake = await startFakeDiscord({ globalLimit: { limit: 10, windowMs: 1000 } });
    const rest = createDiscordRest({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token }, { globalPerSecond: 10, timeoutMs: 2_000, retries: 0 });
    // When discord.js lets each request go: the request function it calls is ours, wrapped here.
    const letGo: number[] = [];
    const send = rest.options.makeRequest;
    rest.options.makeRequest = (url, init) => {
      letGo.push(performance.now());
      return send(url, init);
    };
    const api = new DiscordApi(rest);
    const channels = Array.from({ length: 60 }, () => fake!.addChannel());
    // A busy process (digests being built, commands answered): timers fire late, or early by the loop's clock.
    const busy = setInterval(() => {
      const until = performance.now() + 4;
      while (performance.now() < until);
    }, 5);
    const results = await Promise.allSettled(channels.map((id) => api.getChannel(id))).finally(() => clearInterval(busy));
    // Each window lets its 10 go together; a window's worth and more within 100 ms is a wait that let everyone go.
    const mostAtOnce = Math.max(...letGo.map((t) => letGo.filter((u) => u >= t && u < t + 100).length));
    expect(mostAtOnce).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(fake.rateLimited).toEqual([]);
  });
});
