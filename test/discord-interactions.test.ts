import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_REFUSAL } from '../src/commands/replies.js';
import { MANAGE_CHANNELS, GUILD_ID } from './fakes/discord-api.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const papers = [
  makePaper({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability', upvotes: 97, aiSummary: 'Grokking appears once floating-point errors are controlled.' }),
  makePaper({ id: '2605.15320', title: 'Grokking Sparse Parities Quickly', upvotes: 40 }),
  makePaper({ id: '2605.14001', title: 'Scaling In-Context Learning with Sparse Attention', upvotes: 12 }),
  ...Array.from({ length: 9 }, (_, i) => makePaper({ id: `2605.1500${i}`, title: `Grokking variant ${i}`, upvotes: 5 - (i % 3) })),
];

let h: Harness;
let channel: string;

beforeEach(async () => {
  h = await startHarness({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
  await h.seedDay(DAY, papers);
  channel = h.discord.addChannel();
});

afterEach(async () => {
  await h.adapter.idle();
  expect(h.discord.unknownRoutes).toEqual([]);
  expect(h.discord.rejected).toEqual([]);
  await h.close();
});

/** Posting a digest is for members who can manage the channel. */
const MANAGER = { permissions: MANAGE_CHANNELS };
const flags = (body: { data?: Record<string, unknown> } | null) => Number(body?.data?.flags ?? 0);

describe('signed interactions at POST /discord/interactions', () => {
  it('answers PING with PONG', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.ping());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 1 });
  });

  it('refuses a wrong key, a missing signature, a stale timestamp and a tampered body with 401', async () => {
    const ping = h.discord.interaction.ping();
    expect((await h.discord.sendInteraction(h.endpoint, ping, 'wrong-key')).status).toBe(401);
    expect((await h.discord.sendInteraction(h.endpoint, ping, 'none')).status).toBe(401);
    expect((await h.discord.sendInteraction(h.endpoint, ping, 'stale')).status).toBe(401);

    const raw = JSON.stringify(ping);
    const res = await fetch(h.endpoint, { method: 'POST', headers: { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) }, body: raw });
    expect(res.status).toBe(401);
  });

  it('refuses a validly signed body that is not an interaction with 400', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, { hello: 'world' });
    expect(res.status).toBe(400);
  });

  it('answers a search directly, visible only to the asker, with mentions disabled', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'grokking'));
    expect(res.status).toBe(200);
    expect(res.body?.type).toBe(4);
    expect(flags(res.body) & 64).toBe(64);
    expect(res.body?.data?.allowed_mentions).toEqual({ parse: [] });
    const embeds = res.body?.data?.embeds as { title: string }[];
    expect(embeds).toHaveLength(5);
    expect(embeds[0]!.title).toContain('Grokking');
    expect(res.ms).toBeLessThan(1000);
  });

  it('suggests completions from the store', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.autocomplete(channel, 'summary grokking'));
    expect(res.body?.type).toBe(8);
    const choices = (res.body?.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices[0]!.value).toBe('summary grokking');
    expect(choices.some((c) => /^summary 2605\.\d{5}$/.test(c.value))).toBe(true);
  });

  it('refuses subscribe without Manage Channels, ephemerally', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'subscribe grokking'));
    expect(flags(res.body) & 64).toBe(64);
    expect(String(res.body?.data?.content)).toContain(ADMIN_REFUSAL.replace(/\./g, ''));
    expect(await h.store.listSubscriptions({ platform: 'discord', id: channel })).toEqual([]);
  });

  it('lets Manage Channels, Administrator and the bot DM subscribe', async () => {
    const managed = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'subscribe grokking', { permissions: MANAGE_CHANNELS | (1n << 11n) }));
    expect(managed.body?.type).toBe(4);
    expect(flags(managed.body) & 64).toBe(0);
    expect(String(managed.body?.data?.content)).toContain('Subscribed this channel');

    const admin = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'subscribe sparse attention', { permissions: 1n << 3n }));
    expect(String(admin.body?.data?.content)).toContain('Subscribed this channel');

    const dm = h.discord.addChannel(1, undefined, null);
    const inDm = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(dm, 'subscribe diffusion', { dm: true }));
    expect(String(inDm.body?.data?.content)).toContain('Subscribed this channel');
    expect(await h.store.listSubscriptions()).toHaveLength(3);
  });

  it('answers a button with a custom_id it does not know, privately', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(channel, 'sum:not-a-paper', { id: '1241234567890123456' }));
    expect(flags(res.body) & 64).toBe(64);
    expect(String(res.body?.data?.content)).toContain("That button isn't one this version of paperboy made");
  });

});

describe('the digest command and the Summarise button', () => {
  it('defers /papers digest, posts parent + thread + papers, then edits @original', async () => {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`, MANAGER));
    expect(res.body?.type).toBe(5);
    expect(flags(res.body) & 64).toBe(64);
    await h.adapter.idle();

    const [parent] = h.discord.messagesIn(channel);
    expect(parent?.threadId).toBe(parent?.id);
    expect(h.discord.messagesIn(parent!.threadId!)).toHaveLength(10);
    const edit = res.interaction.original!.edits[0]!;
    expect(String(edit.content)).toMatch(/Posted 10 papers of Mon 18 May here\./);

    const again = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`, MANAGER));
    await h.adapter.idle();
    expect(String(again.interaction.original!.edits[0]!.content)).toContain('already posted');
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
  });

  it('run inside a thread, posts the digest into that thread instead of starting another', async () => {
    const thread = h.discord.addChannel(11);
    await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(thread, `digest ${DAY}`, MANAGER));
    await h.adapter.idle();

    expect(h.discord.messagesIn(thread)).toHaveLength(11);
    expect(h.discord.requests.filter((r) => r.path.endsWith('/threads'))).toEqual([]);
  });

  it('posts a summary into the paper thread once, however many clicks', async () => {
    await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`, MANAGER));
    await h.adapter.idle();
    const thread = h.discord.messagesIn(channel)[0]!.threadId!;
    const item = h.discord.messagesIn(thread)[0]!;

    const clicks = await Promise.all([1, 2, 3].map(() => h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(thread, 'sum:2605.15298', { id: item.id }))));
    await h.adapter.idle();
    for (const click of clicks) expect(flags(click.body) & 64).toBe(64);

    const summaries = h.discord.messagesIn(thread).filter((m) => !(m.body.components as { components: { custom_id?: string }[] }[])?.some((r) => r.components.some((b) => b.custom_id?.startsWith('sum:'))));
    expect(summaries).toHaveLength(1);
    expect(JSON.stringify(summaries[0]!.body)).toContain('Grokking appears once floating-point errors are controlled');

    const later = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(thread, 'sum:2605.15298', { id: item.id }));
    expect(String(later.body?.data?.content)).toContain(`already in this thread. [view it](<https://discord.com/channels/${GUILD_ID}/${thread}/`);
    expect(String(later.body?.data?.content)).toContain(summaries[0]!.id);
  });

});
