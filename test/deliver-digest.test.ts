import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import type { Digest, DigestItem } from '../src/digest/digest.js';
import { paperLinks } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { makePaper } from './support/papers.js';
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
