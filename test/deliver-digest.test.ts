import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { deliverToChannels } from '../src/delivery/fan-out.js';
import type { Digest, DigestItem } from '../src/digest/digest.js';
import { paperLinks } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { listingsFor, makePaper } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { DAY, diffusion, EARLIER_DAY, EARLIER_POST_AT, grokking, sparse, tokens } from './fixtures/discussed/papers.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const channel: ChannelRef = { platform: 'slack', id: 'C0123ABCD' };
const clock = () => new Date('2026-05-18T09:00:00Z');

function digestOf(ids: string[]): Digest {
  const items: DigestItem[] = ids.map((id, index) => {
    const paper = makePaper({ id });
    return { rank: index + 1, paper, links: paperLinks(paper), summary: { tldr: 't', keyPoints: [], whyItMatters: null, source: 'abstract', model: null } };
  });
  return { kind: 'daily', key: 'daily:2026-05-18', day: '2026-05-18', title: 'Trending papers · Mon 18 May', items, alreadyReceived: 0 };
}

describe('deliverDigest', () => {
  it('posts a parent and one reply per paper, then reports already delivered', async () => {
    const store = openSqliteStore(':memory:');
    const publisher = new ThreadPublisher();
    const digest = digestOf(['2605.00001', '2605.00002', '2605.00003']);
    const first = await deliverDigest({ ledger: store, publisher, clock }, channel, digest);
    expect(first).toMatchObject({ status: 'delivered', posted: 3, resumed: false });
    expect(await deliverDigest({ ledger: store, publisher, clock }, channel, digest)).toEqual({ status: 'already_delivered' });
    expect(publisher.posts).toBe(4);
    const forced = await deliverDigest({ ledger: store, publisher, clock }, channel, digest, { force: true });
    expect(forced).toMatchObject({ status: 'delivered', posted: 3 });
  });

  for (let crashAfter = 1; crashAfter <= 4; crashAfter++) {
    it(`resumes after a crash at post ${crashAfter} of 4: one parent, each paper once, in order`, async () => {
      const store = openSqliteStore(':memory:');
      const publisher = new ThreadPublisher('slack', crashAfter);
      const ids = ['2605.00001', '2605.00002', '2605.00003'];
      await expect(deliverDigest({ ledger: store, publisher, clock }, channel, digestOf(ids))).rejects.toThrow('killed');
      const restarted = publisher.restarted();
      // The rebuilt digest lists the papers in another order: the frozen list wins.
      const outcome = await deliverDigest({ ledger: store, publisher: restarted, clock }, channel, digestOf([...ids].reverse()));
      expect(outcome).toMatchObject({ status: 'delivered', resumed: true });
      expect(restarted.parents).toHaveLength(1);
      expect(restarted.items.map((i) => i.paperId)).toEqual(ids);
      expect(new Set(restarted.items.map((i) => i.parent))).toEqual(new Set([restarted.parents[0]!.id]));
    });
  }

  it('does not start an empty digest', async () => {
    const store = openSqliteStore(':memory:');
    const publisher = new ThreadPublisher();
    expect(await deliverDigest({ ledger: store, publisher, clock }, channel, digestOf([]))).toEqual({ status: 'empty' });
    expect(publisher.posts).toBe(0);
  });
});

describe('exactly once across processes', () => {
  const lease = (owner: string, ms = 30_000) => ({ owner, ms });
  const realClock = () => new Date();
  /** Two processes on one SQLite file: two connections, each with its own owner id, one platform between them. */
  function twoProcesses() {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-race-')), 'paperboy.db');
    const platform = new ThreadPublisher('slack', Infinity, { yieldEachPost: true });
    return {
      platform,
      a: { store: openSqliteStore(path), publisher: platform, lease: lease('process-a') },
      b: { store: openSqliteStore(path), publisher: platform.restarted(), lease: lease('process-b') },
    };
  }

  it('two processes delivering the same digest at once post it once', async () => {
    const { platform, a, b } = twoProcesses();
    const digest = digestOf(['2605.00001', '2605.00002', '2605.00003']);
    const outcomes = await Promise.all([a, b].map((p) => deliverDigest({ ledger: p.store, publisher: p.publisher, clock: realClock, lease: p.lease }, channel, digest)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already_delivered', 'delivered']);
    expect(platform.parents).toHaveLength(1);
    expect(platform.items.map((i) => i.paperId)).toEqual(['2605.00001', '2605.00002', '2605.00003']);
  });

  it('a scheduler skips a delivery another process holds, and hears when its lease runs out', async () => {
    const { a, b } = twoProcesses();
    const digest = digestOf(['2605.00001']);
    await a.store.acquireDelivery(channel, digest.key, 'process-a', realClock(), new Date(Date.now() + 30_000));
    const outcome = await deliverDigest({ ledger: b.store, publisher: b.publisher, clock: realClock, lease: b.lease }, channel, digest, { whenHeld: 'skip' });
    expect(outcome).toMatchObject({ status: 'in_progress', leaseUntil: expect.any(Date) });
  });

  it('a process that died mid-digest is taken over once its lease runs out, and nothing is posted twice', async () => {
    const { platform, a, b } = twoProcesses();
    const digest = digestOf(['2605.00001', '2605.00002', '2605.00003']);
    // Process A posts the parent and one paper, recording neither, then dies (its lease is 200 ms).
    await a.store.acquireDelivery(channel, digest.key, 'process-a', realClock(), new Date(Date.now() + 200));
    await a.store.recordIntents(channel, digest.key, digest.items.map((item) => item.paper.id), realClock());
    const parent = await platform.postParent(channel, digest);
    await platform.postItem(channel, parent, digest.items[0]!);
    const started = Date.now();
    const outcome = await deliverDigest({ ledger: b.store, publisher: b.publisher, clock: realClock, lease: b.lease }, channel, digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(outcome).toMatchObject({ status: 'delivered', resumed: true, posted: 2 });
    expect(platform.parents).toHaveLength(1);
    expect(platform.items.map((i) => i.paperId)).toEqual(['2605.00001', '2605.00002', '2605.00003']);
  });

  it('a process whose lease was taken over stops before its next post', async () => {
    const { a, b } = twoProcesses();
    const digest = digestOf(['2605.00001', '2605.00002']);
    const slow = { ...a.publisher, postItem: async (...args: Parameters<ThreadPublisher['postItem']>) => {
      // Stalled past its lease: another process takes the delivery over meanwhile.
      await b.store.acquireDelivery(channel, digest.key, 'process-b', new Date(Date.now() + 60_000), new Date(Date.now() + 120_000));
      await new Promise((resolve) => setTimeout(resolve, 60));
      return a.publisher.postItem(...args);
    } } as unknown as ThreadPublisher;
    Object.setPrototypeOf(slow, ThreadPublisher.prototype);
    await expect(deliverDigest({ ledger: a.store, publisher: slow, clock: realClock, lease: lease('process-a', 90) }, channel, digest)).rejects.toThrow(/took over/);
  });
});

describe.each(EACH_BACKEND)('already-discussed papers in a digest, on %s', (_, backend) => {
  const open = useBackend(backend);

  for (const crashAfter of [1, 2, 3]) {
    it(`after a crash at post ${crashAfter} of 3, the resumed digest keeps its pointer and posts each new paper once`, async () => {
      const store = open();
      const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock });
      await store.saveDay(EARLIER_DAY, listingsFor(EARLIER_DAY, [grokking, sparse]), EARLIER_POST_AT);
      await store.saveDay(DAY, listingsFor(DAY, [diffusion, grokking, tokens]), clock());
      const build = (day: string, at: Date) => buildDailyDigest({ store, summariser, clock: () => at }, { channel, workspace: LOCAL_WORKSPACE, size: 2, timeZone: 'UTC', day });
      await deliverDigest({ ledger: store, publisher: new ThreadPublisher(), clock: () => EARLIER_POST_AT }, channel, (await build(EARLIER_DAY, EARLIER_POST_AT))!);

      const publisher = new ThreadPublisher('slack', crashAfter);
      const before = publisher.posts;
      await expect(deliverDigest({ ledger: store, publisher, clock }, channel, (await build(DAY, clock()))!)).rejects.toThrow('killed');
      const resumed = await build(DAY, clock());
      expect(resumed!.discussed?.map((entry) => entry.paper.id)).toEqual([grokking.id]);
      const restarted = publisher.restarted();
      expect(await deliverDigest({ ledger: store, publisher: restarted, clock }, channel, resumed!)).toMatchObject({ status: 'delivered', resumed: true });

      expect(restarted.parents.filter((p) => p.key === `daily:${DAY}`)).toHaveLength(1);
      const parent = restarted.parents.find((p) => p.key === `daily:${DAY}`)!;
      expect(restarted.items.filter((i) => i.parent === parent.id).map((i) => i.paperId)).toEqual([diffusion.id, tokens.id]);
      expect(publisher.posts - before).toBeGreaterThan(0);
      expect((await store.getDelivery(channel, `daily:${DAY}`))?.papers.get(grokking.id)).toBe(parent.id);
      expect((await store.earlierPosts(channel, [grokking.id])).get(grokking.id)?.key).toBe(`daily:${EARLIER_DAY}`);
    });
  }
});

describe('deliverToChannels', () => {
  it('posts to the first channels while later ones are still being prepared', async () => {
    const store = openSqliteStore(':memory:');
    const events: string[] = [];
    const publisher = new ThreadPublisher();
    const postParent = publisher.postParent.bind(publisher);
    publisher.postParent = async (...args) => {
      events.push(`post ${args[0].id}`);
      return postParent(...args);
    };
    const channels: ChannelRef[] = Array.from({ length: 40 }, (_, i) => ({ platform: 'slack', id: `C0TURN${i}` }));
    await deliverToChannels({ ledger: store, publisher, clock }, channels, async (target) => {
      // A digest is built from a few store reads: awaits that resolve without I/O.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      events.push(`built ${target.id}`);
      return digestOf(['2605.00001']);
    });
    // Started all at once, every channel's reads would interleave and all 40 digests be built before the first post.
    expect(events.indexOf('post C0TURN0')).toBeLessThan(events.indexOf('built C0TURN39'));
    expect(events.filter((e) => e.startsWith('post'))).toHaveLength(40);
  });
});
