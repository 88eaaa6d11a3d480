import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import type { DigestPublisher, PostedMessage } from '../src/delivery/publisher.js';
import type { Digest, DigestItem } from '../src/digest/digest.js';
import { paperLinks } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { makePaper } from './support/papers.js';

const channel: ChannelRef = { platform: 'slack', id: 'C0123ABCD' };
const clock = () => new Date('2026-05-18T09:00:00Z');

function digestOf(ids: string[]): Digest {
  const items: DigestItem[] = ids.map((id, index) => {
    const paper = makePaper({ id });
    return { rank: index + 1, paper, links: paperLinks(paper), summary: { tldr: 't', keyPoints: [], whyItMatters: null, source: 'abstract', model: null } };
  });
  return { kind: 'daily', key: 'daily:2026-05-18', day: '2026-05-18', title: 'Trending papers · Mon 18 May', items, alreadyReceived: 0 };
}

/**
 * The platform as the ledger sees it: a thread of messages. `crashAfter` makes the Nth post land on the
 * platform and then throw, like a process killed before it could record the answer.
 */
class ThreadPublisher implements DigestPublisher {
  readonly platform = 'slack' as const;
  parents: string[] = [];
  items: { parent: string; paperId: string; id: string }[] = [];
  posts = 0;
  constructor(private crashAfter = Infinity) {}
  private land(): string {
    this.posts++;
    const id = `m${this.posts}`;
    return id;
  }
  private maybeCrash() {
    if (this.posts >= this.crashAfter) throw new Error('killed');
  }
  async postParent(_c: ChannelRef, _d: Digest): Promise<PostedMessage> {
    const id = this.land();
    this.parents.push(id);
    this.maybeCrash();
    return { id, threadId: null };
  }
  async postItem(_c: ChannelRef, parent: PostedMessage, item: DigestItem): Promise<PostedMessage> {
    const id = this.land();
    this.items.push({ parent: parent.id, paperId: item.paper.id, id });
    this.maybeCrash();
    return { id, threadId: null };
  }
  async updateParent() {}
  async postNotice(): Promise<PostedMessage> {
    return { id: this.land(), threadId: null };
  }
  async postGroup(): Promise<PostedMessage> {
    return { id: this.land(), threadId: null };
  }
  async findParent(): Promise<PostedMessage | null> {
    const id = this.parents[0];
    return id ? { id, threadId: null } : null;
  }
  async findPostedItems(_c: ChannelRef, parent: PostedMessage, _d: Digest, paperIds: string[]) {
    return new Map(this.items.filter((i) => i.parent === parent.id && paperIds.includes(i.paperId)).map((i) => [i.paperId, i.id]));
  }
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
      const publisher = new ThreadPublisher(crashAfter);
      const ids = ['2605.00001', '2605.00002', '2605.00003'];
      await expect(deliverDigest({ ledger: store, publisher, clock }, channel, digestOf(ids))).rejects.toThrow('killed');
      const restarted = new ThreadPublisher();
      restarted.parents = publisher.parents;
      restarted.items = publisher.items;
      restarted.posts = publisher.posts;
      // The rebuilt digest lists the papers in another order: the frozen list wins.
      const outcome = await deliverDigest({ ledger: store, publisher: restarted, clock }, channel, digestOf([...ids].reverse()));
      expect(outcome).toMatchObject({ status: 'delivered', resumed: true });
      expect(restarted.parents).toHaveLength(1);
      expect(restarted.items.map((i) => i.paperId)).toEqual(ids);
      expect(new Set(restarted.items.map((i) => i.parent))).toEqual(new Set([restarted.parents[0]]));
    });
  }

  it('does not start an empty digest', async () => {
    const store = openSqliteStore(':memory:');
    const publisher = new ThreadPublisher();
    expect(await deliverDigest({ ledger: store, publisher, clock }, channel, digestOf([]))).toEqual({ status: 'empty' });
    expect(publisher.posts).toBe(0);
  });
});
