import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { silentLogger } from '../src/logger.js';
import { runSubscriptionAlerts } from '../src/schedule/alerts.js';
import { GUILD_ID } from './fakes/discord-api.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { DAY, diffusion, EARLIER_DAY, EARLIER_POST_AT as mayEleventh, grokking, sparse, textOf, tokens } from './fixtures/discussed/papers.js';

const discord = (id: string): ChannelRef => ({ platform: 'discord', id });
const FAST = { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ discord: FAST });
  await h.seedDay(EARLIER_DAY, [grokking, sparse]);
  await h.seedDay(DAY, [diffusion, grokking, tokens]);
});
afterAll(async () => {
  expect(h.discord.unknownRoutes).toEqual([]);
  expect(h.discord.rejected).toEqual([]);
  await h.close();
});

/** The earlier day's digest posted in a new text channel on 11 May: where its papers were first discussed. */
async function channelThatGotThem(): Promise<{ channel: ChannelRef; link: string }> {
  const channel = discord(h.discord.addChannel());
  const clock = () => mayEleventh;
  const digest = await buildDailyDigest({ store: h.store, summariser: h.summariser, clock }, { channel, workspace: LOCAL_WORKSPACE, size: 10, timeZone: 'UTC', day: EARLIER_DAY });
  const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock }, channel, digest!);
  if (outcome.status !== 'delivered') throw new Error(outcome.status);
  const messageId = (await h.store.getDelivery(channel, `daily:${EARLIER_DAY}`))!.papers.get(grokking.id)!;
  // The paper's own message, in the digest's thread, in the channel's server.
  return { channel, link: `https://discord.com/channels/${GUILD_ID}/${outcome.parent.threadId}/${messageId}` };
}

const today = async (channel: ChannelRef) =>
  (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel, workspace: LOCAL_WORKSPACE, size: 2, timeZone: 'UTC', day: DAY }))!;
const channelLookups = (id: string) => h.discord.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/channels/${id}`)).length;

describe('already discussed here, on Discord', () => {
  it('marks a search result with a message link into the earlier thread', async () => {
    const { channel, link } = await channelThatGotThem();
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel.id, 'grokking'));
    const embeds = res.body?.data?.embeds as { title: string; fields?: { value: string }[] }[];
    expect(embeds[0]!.title).toContain('Grokking at scale');
    expect(textOf(embeds[0]!.fields)).toContain(`[Discussed here Mon 11 May](${link})`);

    const elsewhere = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(h.discord.addChannel(), 'grokking'));
    expect(textOf(elsewhere.body)).toContain('Grokking at scale');
    expect(textOf(elsewhere.body)).not.toContain('Discussed here');
  });

  it("lists a digest's already-discussed paper in the parent's embed, looks the guild up once, and posts only the new ones", async () => {
    const { channel, link } = await channelThatGotThem();
    const lookups = channelLookups(channel.id);
    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channel, await today(channel));
    if (outcome.status !== 'delivered') throw new Error(outcome.status);
    const parent = h.discord.messagesIn(channel.id).at(-1)!;
    const field = (parent.body.embeds as { fields?: { name: string; value: string }[] }[])[0]!.fields![0]!;
    expect(field.name).toBe('Already discussed here');
    expect(field.value).toBe(`[Grokking at scale](${link}) · Mon 11 May`);
    expect(h.discord.messagesIn(outcome.parent.threadId!).map((m) => (m.body.embeds as { title: string }[])[0]!.title)).toEqual([`1. ${diffusion.title}`, `2. ${tokens.title}`]);
    expect((await h.store.getDelivery(channel, `daily:${DAY}`))?.papers.get(grokking.id)).toBe(parent.id);

    // The guild came from GET /channels/{id} once; the next link is built from the cache.
    expect(channelLookups(channel.id) - lookups).toBe(1);
    await h.adapter.publisher.messageLink(channel, { id: parent.id, threadId: null });
    expect(channelLookups(channel.id) - lookups).toBe(1);
  });

  it('falls back to the day alone when the channel lookup fails, and still posts', async () => {
    const { channel } = await channelThatGotThem();
    h.discord.fail('GET /channels/:id', 500);
    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channel, await today(channel));
    expect(outcome.status).toBe('delivered');
    const field = (h.discord.messagesIn(channel.id).at(-1)!.body.embeds as { fields: { value: string }[] }[])[0]!.fields[0]!;
    expect(field.value).toBe(`[Grokking at scale](https://huggingface.co/papers/${grokking.id}) · Mon 11 May`);
  });

  it('an alert whose only match was discussed here long ago is one plain line, with no thread', async () => {
    const { channel, link } = await channelThatGotThem();
    await h.store.addSubscription(channel, 'grokking', '80351110224678912', new Date());
    await h.store.setState('alerts.watermark', '2026-01-01T00:00:00.000Z');
    const threads = h.discord.channels.size;
    const deps = { store: h.store, summariser: h.summariser, publishers: new Map([['discord', h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger };
    expect(await runSubscriptionAlerts(deps, new Date())).toBe(1);
    const line = h.discord.messagesIn(channel.id).at(-1)!;
    expect(line.body.content).toBe(`💬 Already discussed here: [Grokking at scale](https://huggingface.co/papers/${grokking.id}) · [Discussed here Mon 11 May](${link})`);
    expect(line.body.embeds).toBeUndefined();
    expect(h.discord.channels.size).toBe(threads);
  });
});
