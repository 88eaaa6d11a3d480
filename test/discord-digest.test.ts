import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { createDiscordPublisher } from '../adapters/discord/adapter.js';
import type { DiscordSettings } from '../adapters/discord/settings.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { silentLogger } from '../src/logger.js';
import { deliverToChannels } from '../src/delivery/fan-out.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import type { Digest } from '../src/digest/digest.js';
import type { FakeMessage } from './fakes/discord-api.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { makePaper } from './support/papers.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

const DAY = '2026-05-18';
const papers = Array.from({ length: 12 }, (_, i) =>
  makePaper({ id: `2605.${15300 + i}`, title: `Paper number ${i + 1} on efficient transformers`, upvotes: 100 - i, githubRepo: i % 2 ? `https://github.com/lab/repo-${i}` : null, githubStars: i % 2 ? 10 * i : null }),
);
const FAST = { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } };

let h: Harness;

afterEach(async () => {
  expect(h.discord.unknownRoutes).toEqual([]);
  expect(h.discord.rejected).toEqual([]);
  await h.close();
});

async function digestFor(channel: ChannelRef, size = 10): Promise<Digest> {
  const digest = await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel, workspace: LOCAL_WORKSPACE, size, timeZone: 'UTC', day: DAY });
  return digest!;
}

const ref = (id: string): ChannelRef => ({ platform: 'discord', id });
const deps = () => ({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() });
const everyBodyHasNoMentions = (messages: FakeMessage[]) => messages.every((m) => JSON.stringify(m.body.allowed_mentions) === '{"parse":[]}');

describe('Discord digests', () => {
  it('lands a digest in 5 channels complete and threaded, within Discord’s buckets', async () => {
    h = await startHarness();
    await h.seedDay(DAY, papers);
    const channels = Array.from({ length: 5 }, () => h.discord.addChannel());

    const results = await deliverToChannels(deps(), channels.map(ref), (channel) => digestFor(channel));

    expect(results.map((r) => ('outcome' in r ? r.outcome.status : r.error.code))).toEqual(Array(5).fill('delivered'));
    for (const id of channels) {
      const [parent, ...rest] = h.discord.messagesIn(id);
      expect(rest).toEqual([]);
      const thread = h.discord.channels.get(parent!.threadId!)!;
      expect(thread).toMatchObject({ type: 11, parentId: id, autoArchiveDuration: 1440, name: 'Trending papers · Mon 18 May' });
      const items = h.discord.messagesIn(thread.id);
      expect(items).toHaveLength(10);
      expect(items.map((m) => (m.body.embeds as { title: string }[])[0]!.title)).toEqual(papers.slice(0, 10).map((p, i) => `${i + 1}. ${p.title}`));
      expect((await h.store.getDelivery(ref(id), `daily:${DAY}`))?.completedAt).not.toBeNull();
    }
    // 5 × (parent + thread + 10 papers), no retries: discord.js waited out the 5-per-5-s bucket of each thread.
    expect(h.discord.requests.filter((r) => r.path !== '/applications/@me')).toHaveLength(60);
    expect(h.discord.rateLimited).toEqual([]);
    expect(everyBodyHasNoMentions(h.discord.messages)).toBe(true);
  }, 30_000);

  it('posts into a forum channel as a new post whose first message is the parent', async () => {
    h = await startHarness({ discord: FAST });
    await h.seedDay(DAY, papers);
    const forum = h.discord.addChannel(15);

    const outcome = await deliverDigest(deps(), ref(forum), await digestFor(ref(forum), 3));

    expect(outcome.status).toBe('delivered');
    const post = [...h.discord.channels.values()].find((c) => c.parentId === forum)!;
    const [starter, ...items] = h.discord.messagesIn(post.id);
    expect(starter).toMatchObject({ id: post.id, kind: 'forum-starter' });
    expect(items).toHaveLength(3);
    // One refused plain post taught the publisher the channel type; the next digest goes straight to a post.
    expect(h.discord.requests.filter((r) => r.status === 400).map((r) => r.code)).toEqual([50008]);
    h.discord.rejected.length = 0;
    await deliverDigest(deps(), ref(forum), await digestFor(ref(forum), 3), { force: true });
    expect(h.discord.requests.filter((r) => r.status === 400)).toHaveLength(1);
  });

  it('a paper posted again by another process gets the message Discord already has (a nonce per delivery and paper)', async () => {
    h = await startHarness({ discord: FAST });
    await h.seedDay(DAY, papers);
    const channel = ref(h.discord.addChannel());
    const digest = await digestFor(channel, 2);
    const parent = await h.adapter.publisher.postParent(channel, digest);
    const first = await h.adapter.publisher.postItem(channel, parent, digest.items[0]!, digest);
    const settings = h.config.platforms.find((p) => p.descriptor.name === 'discord')!.settings as DiscordSettings;
    const elsewhere = createDiscordPublisher(settings, silentLogger, { retries: 0 });
    expect((await elsewhere.postItem(channel, parent, digest.items[0]!, digest)).id).toBe(first.id);
    expect((await elsewhere.postParent(channel, digest)).id).toBe(parent.id);
    expect(h.discord.messagesIn(parent.threadId!)).toHaveLength(1);
    expect(h.discord.messagesIn(channel.id)).toHaveLength(1);
  });

  it('edits the parent with fresh counts', async () => {
    h = await startHarness({ discord: FAST });
    await h.seedDay(DAY, papers);
    const channel = h.discord.addChannel();
    const digest = await digestFor(ref(channel), 3);
    const outcome = await deliverDigest(deps(), ref(channel), digest);
    if (outcome.status !== 'delivered') throw new Error('not delivered');

    digest.items[0]!.paper.upvotes = 250;
    await h.adapter.publisher.updateParent(ref(channel), outcome.parent, digest);

    const parent = h.discord.messagesIn(channel)[0]!;
    expect(JSON.stringify(parent.edits[0])).toContain('▲ 250');
  });

});
