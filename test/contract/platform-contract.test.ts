import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/channel.js';
import { deliverDigest } from '../../src/delivery/deliver-digest.js';
import { CHANNEL_UNAVAILABLE, type ChannelPublisher } from '../../src/delivery/publisher.js';
import { buildDailyDigest } from '../../src/digest/build-digest.js';
import type { Digest } from '../../src/digest/digest.js';
import { PaperboyError } from '../../src/errors.js';
import { hostilePapers } from '../fixtures/slack/hostile.js';
import { makePaper } from '../support/papers.js';
import type { ContractTarget, ContractWorld } from './contract-target.js';
import { consoleTarget } from './targets/console.js';
import { discordTarget } from './targets/discord.js';
import { exampleTarget } from './targets/example.js';
import { slackTarget } from './targets/slack.js';
import { LOCAL_WORKSPACE } from '../../src/workspace.js';

/**
 * The same cases against every adapter: threading, the ids returned, the platform's limits, no mentions, a lost
 * channel, resuming after a crash, buttons and commands. A platform that cannot do something at all says so in
 * its target (`can`), and the case is skipped for it by name.
 */
const TARGETS: ContractTarget[] = [slackTarget, discordTarget, consoleTarget, exampleTarget];

const DAY = '2026-05-18';
const HOSTILE_DAY = '2026-05-19';
const papers = Array.from({ length: 10 }, (_, i) =>
  makePaper({ id: `2605.1${String(i).padStart(4, '0')}`, title: i % 3 === 0 ? `Grokking study ${i}` : `Sparse attention ${i}`, upvotes: 100 - i, abstract: `Abstract of paper ${i}. `.repeat(20), aiSummary: `Paper ${i} in one line.` }),
);

describe.each(TARGETS)('the $name adapter keeps the platform contract', (target) => {
  let world: ContractWorld;
  const clock = () => new Date();
  const digestFor = async (channel: ChannelRef, day = DAY, size = 10): Promise<Digest> =>
    (await buildDailyDigest({ store: world.store, summariser: world.summariser, clock }, { channel, workspace: LOCAL_WORKSPACE, size, timeZone: 'UTC', day }))!;
  const deliver = (channel: ChannelRef, digest: Digest, publisher: ChannelPublisher = world.publisher) => deliverDigest({ ledger: world.store, publisher, clock }, channel, digest);

  beforeAll(async () => {
    world = await target.start({ day: DAY, papers });
    await world.store.saveDay(HOSTILE_DAY, hostilePapers().map((paper, index) => ({ paper, day: HOSTILE_DAY, rank: index + 1 })), new Date());
  });
  afterAll(async () => {
    expect(world.refused()).toEqual([]);
    await world.close();
  });

  it('posts a digest as one parent with one threaded post per paper, in order, once', async () => {
    const channel = world.newChannel();
    const digest = await digestFor(channel, DAY, 5);
    const outcome = await deliver(channel, digest);
    expect(outcome).toMatchObject({ status: 'delivered', posted: 5, resumed: false });
    expect(world.posts(channel)).toEqual([{ id: expect.any(String), thread: digest.items.map((item) => item.paper.id) }]);
    if (target.can.resume) expect(outcome.status === 'delivered' && outcome.parent.id).toBe(world.posts(channel)[0]!.id);
    expect(await deliver(channel, digest)).toEqual({ status: 'already_delivered' });
    expect(world.posts(channel)).toHaveLength(1);
  });

  it('keeps every message within the platform limits, and no paper can ping anyone', async () => {
    const channel = world.newChannel();
    const outcome = await deliver(channel, await digestFor(channel, HOSTILE_DAY));
    expect(outcome).toMatchObject({ status: 'delivered', posted: hostilePapers().length });
    expect(world.refused()).toEqual([]);
    expect(world.canPing(world.pingingBody)).toBe(true);
    const pinging = world.sentBodies().filter((body) => world.canPing(body));
    expect(pinging).toEqual([]);
  });

  it.skipIf(!target.can.loseChannels)('reports a deleted channel, or one the bot was removed from, as channel_unavailable', async () => {
    for (const channel of [world.goneChannel(), world.goneChannel()]) {
      const error = await deliver(channel, await digestFor(channel, DAY, 2)).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(PaperboyError);
      expect((error as PaperboyError).code).toBe(CHANNEL_UNAVAILABLE);
    }
  });

  it.skipIf(!target.can.resume)('resumes a delivery cut off after the platform accepted posts, posting each paper once', async () => {
    const channel = world.newChannel();
    const digest = await digestFor(channel);
    // The crashed run: claimed by a process now dead (its lease ran out), papers frozen, the parent and three papers
    // accepted by the platform, none recorded.
    await world.store.acquireDelivery(channel, digest.key, 'a-dead-process', new Date(Date.now() - 60_000), new Date(Date.now() - 30_000));
    await world.store.recordIntents(channel, digest.key, digest.items.map((item) => item.paper.id), new Date());
    const parent = await world.publisher.postParent(channel, digest);
    for (const item of digest.items.slice(0, 3)) await world.publisher.postItem(channel, parent, item, digest);

    const outcome = await deliver(channel, digest, await world.restartedPublisher());

    expect(outcome).toMatchObject({ status: 'delivered', posted: 7, resumed: true, parent: { id: parent.id } });
    expect(world.posts(channel)).toEqual([{ id: parent.id, thread: digest.items.map((item) => item.paper.id) }]);
  });

  it.skipIf(!target.can.resume)('posts nothing twice when the ledger write after a post fails (database locked, disk full)', async () => {
    const channel = world.newChannel();
    const digest = await digestFor(channel, DAY, 4);
    // The third paper lands on the platform, then recording it fails.
    let writes = 0;
    const failing = Object.create(world.store) as typeof world.store;
    failing.recordPosted = async (...args) => {
      if (++writes === 2) throw new Error('SQLITE_BUSY: database is locked');
      return world.store.recordPosted(...args);
    };
    await expect(deliverDigest({ ledger: failing, publisher: world.publisher, clock }, channel, digest)).rejects.toThrow('database is locked');

    const outcome = await deliver(channel, digest, await world.restartedPublisher());
    expect(outcome).toMatchObject({ status: 'delivered', resumed: true });
    expect(world.posts(channel)).toEqual([{ id: expect.any(String), thread: digest.items.map((item) => item.paper.id) }]);
  });

  describe.skipIf(!target.can.receive)('commands and buttons', () => {
    let channel: ChannelRef;
    let digest: Digest;
    beforeAll(async () => {
      channel = world.newChannel();
      digest = await digestFor(channel, DAY, 3);
      await deliver(channel, digest);
    });

    it('Summarise under a digest paper posts its summary in that thread once; a second press links to it', async () => {
      const record = (await world.store.getDelivery(channel, digest.key))!;
      const parent = { id: record.parentMessageId!, threadId: record.threadId };
      const paper = digest.items[0]!.paper;
      const where = { parent, item: record.papers.get(paper.id)! };

      // Three people at once: one posts, the others are told it is being posted (or already is).
      const answers = await Promise.all([1, 2, 3].map(() => world.press(channel, where, { kind: 'summarise', paperId: paper.id })));
      expect(answers.filter((answer) => answer.text.includes('Summary posted in this thread'))).toHaveLength(1);
      const later = await world.press(channel, where, { kind: 'summarise', paperId: paper.id });
      expect(later.text).toContain('already in this thread');
      const thread = world.posts(channel)[0]!.thread;
      // The paper's own post, and its summary: once.
      expect(thread.filter((id) => id === paper.id)).toHaveLength(2);
    });

    it('Abstract, and Summarise on an answer only the presser saw, answer privately and post nothing', async () => {
      const before = world.posts(channel);
      const abstract = await world.press(channel, 'private', { kind: 'abstract', paperId: papers[4]!.id });
      expect(abstract.text).toContain('Abstract of paper 4.');
      const summary = await world.press(channel, 'private', { kind: 'summarise', paperId: papers[5]!.id });
      expect(summary.text).toContain('Paper 5 in one line.');
      expect(world.posts(channel)).toEqual(before);
    });

    it('answers /papers <query> privately, and More gives the next page', async () => {
      const first = await world.command(channel, 'sparse attention');
      expect(first.text).toContain(papers[1]!.id);
      const next = await world.press(channel, 'private', { kind: 'more', offset: 5, query: 'sparse attention' });
      expect(next.text).toContain(papers[8]!.id);
      expect(next.text).not.toContain(papers[1]!.id);
    });

    it('explains bad input in one short private answer', async () => {
      const answer = await world.command(channel, 'summary not-a-paper');
      expect(answer.text).toContain('is not an arXiv id or paper link');
      expect(world.posts(channel)).toHaveLength(1);
    });
  });
});
