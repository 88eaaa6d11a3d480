import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord-api.js';

/** The fake is only worth its "zero 400s" if it refuses what Discord refuses; these check that it does. */
let discord: FakeDiscord;
let channel: string;

beforeEach(async () => {
  discord = await startFakeDiscord();
  channel = discord.addChannel();
});

afterEach(async () => {
  await discord.close();
});

const post = (body: unknown, path = `/channels/${channel}/messages`, auth = true) =>
  fetch(`${discord.url}/v10${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bot ${discord.token}` } : {}) }, body: JSON.stringify(body) });
const none = { parse: [] };
const button = (id: string) => ({ type: 2, style: 1, label: 'x', custom_id: id });

describe('the Discord fake', () => {
  it('refuses what Discord refuses, with Discord’s codes', async () => {
    const cases: [unknown, number][] = [
      [{ content: 'x'.repeat(2001), allowed_mentions: none }, 50035],
      [{ embeds: Array.from({ length: 11 }, () => ({ title: 't' })), allowed_mentions: none }, 50035],
      [{ embeds: [{ title: 't'.repeat(257) }], allowed_mentions: none }, 50035],
      [{ embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }], allowed_mentions: none }, 50035],
      [{ embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }], allowed_mentions: none }, 50035],
      [{ embeds: [{ title: 't', url: 'javascript:alert(1)' }], allowed_mentions: none }, 50035],
      [{ components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [button(`b${i}`)] })), allowed_mentions: none }, 50035],
      [{ components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => button(`b${i}`)) }], allowed_mentions: none }, 50035],
      [{ components: [{ type: 1, components: [button('x'.repeat(101))] }], allowed_mentions: none }, 50035],
      [{ components: [{ type: 1, components: [button('same'), button('same')] }], allowed_mentions: none }, 50035],
      [{ content: 'hi' }, 50035],
      [{ content: 'hi', allowed_mentions: { parse: ['everyone'] } }, 50035],
      [{ allowed_mentions: none }, 50006],
    ];
    for (const [body, code] of cases) {
      // A refused request still spends the channel's bucket, as on Discord: one channel per case.
      const res = await post(body, `/channels/${discord.addChannel()}/messages`);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBe(code);
    }
    expect(discord.rejected).toHaveLength(cases.length);
    expect(discord.messages).toEqual([]);
  });

  it('sends X-RateLimit-* headers and answers an exhausted bucket with 429 and Retry-After', async () => {
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(await post({ content: `m${i}`, allowed_mentions: none }));
    const [first] = responses;
    expect(first!.headers.get('x-ratelimit-limit')).toBe('5');
    expect(first!.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(first!.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(4);
    expect(first!.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    const limited = responses[5]!;
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(((await limited.json()) as { retry_after: number }).retry_after).toBeGreaterThan(4);
    // Another channel is another bucket.
    expect((await post({ content: 'x', allowed_mentions: none }, `/channels/${discord.addChannel()}/messages`)).status).toBe(200);
  });

  it('holds bot requests to a global limit (a token bucket), but not interaction callbacks', async () => {
    const slow = await startFakeDiscord({ globalLimit: { limit: 10, windowMs: 10_000 } });
    try {
      const channels = Array.from({ length: 15 }, () => slow.addChannel());
      const answers = await Promise.all(channels.map((id) => fetch(`${slow.url}/v10/channels/${id}`, { headers: { authorization: `Bot ${slow.token}` } })));
      const limited = answers.filter((r) => r.status === 429);
      expect(limited).toHaveLength(5);
      expect(limited[0]!.headers.get('x-ratelimit-global')).toBe('true');
      expect(limited[0]!.headers.get('x-ratelimit-scope')).toBe('global');
      expect(slow.rateLimited.filter((r) => r.scope === 'global')).toHaveLength(5);
      const payload = slow.interaction.command(channels[0]!, 'help');
      slow.registerInteraction(payload);
      const callback = await fetch(`${slow.url}/v10/interactions/${String(payload.id)}/${String(payload.token)}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'hi', allowed_mentions: none } }),
      });
      expect(callback.status).toBe(204);
    } finally {
      await slow.close();
    }
  });

  it('needs the bot token, knows a token only for an interaction it sent, and records unknown routes', async () => {
    expect((await post({ content: 'x', allowed_mentions: none }, `/channels/${channel}/messages`, false)).status).toBe(401);
    expect((await post({ content: 'x', allowed_mentions: none }, `/webhooks/${discord.applicationId}/not-a-token`, false)).status).toBe(404);
    expect((await post({}, '/guilds/281683040739262465/roles')).status).toBe(404);
    expect(discord.unknownRoutes.map((r) => r.path)).toEqual(['/guilds/281683040739262465/roles']);
  });
});
