import { readdirSync, readFileSync } from 'node:fs';
import { tokenize } from '../src/search/normalise.js';
import { describe, expect, it } from 'vitest';
import { SubscriptionMatcher } from '../src/schedule/subscription-matcher.js';
import type { Store } from '../src/store/store.js';
import { FIXTURE_PAPERS } from './fixtures/search/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';

const papers = FIXTURE_PAPERS.map((entry) => entry.paper);
const grokPapers = ['2603.00048', '2603.00049'];
const at = new Date('2026-05-18T09:00:00Z');
const channel = (n: number) => ({ platform: 'slack', id: `C${String(n).padStart(8, '0')}` });

/** channel key → ids of the papers it matched, with the query of the subscription each one matched. */
async function matched(matcher: SubscriptionMatcher, store: Store): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const [key, found] of await matcher.run(store, papers)) {
    result[key] = found.papers.map((paper, i) => `${paper.id} ${found.subscriptions[i]!.query}`).filter((line) => grokPapers.includes(line.split(' ')[0]!));
  }
  return result;
}

describe.each(EACH_BACKEND)('subscription index kept between alert runs (%s)', (_, backend) => {
  const open = useBackend(backend);

  it('files subscriptions added and drops those removed since the last run, by any process', async () => {
    const store = open();
    const matcher = new SubscriptionMatcher();
    await store.addSubscription(channel(1), 'grokking', 'U1', at);
    await store.addSubscription(channel(2), 'Grokking -omnigrok', 'U1', at);
    expect(await matched(matcher, store)).toEqual({
      'slack:C00000001': ['2603.00048 grokking', '2603.00049 grokking'],
      'slack:C00000002': ['2603.00048 Grokking -omnigrok'],
    });

    // Another process (the same store) changes them between runs.
    await store.removeSubscriptions(channel(1), { query: 'grokking' });
    await store.addSubscription(channel(3), 'author:"Ziming Liu"', 'U1', at);
    await store.addSubscription(channel(3), 'grokking', 'U1', at);
    expect(await matched(matcher, store)).toEqual({
      'slack:C00000002': ['2603.00048 Grokking -omnigrok'],
      // The lower-id subscription names the match when two of a channel's subscriptions find the same paper.
      'slack:C00000003': ['2603.00048 author:"Ziming Liu"', '2603.00049 author:"Ziming Liu"'],
    });

    await store.removeSubscriptions(channel(2), { all: true });
    await store.removeSubscriptions(channel(3), { all: true });
    expect(await matched(matcher, store)).toEqual({});
  });

  it('matches the same with the index in worker threads, through adds and removals', async () => {
    const store = open();
    const queries = ['grokking', 'Grokking -omnigrok', 'author:"Ziming Liu"', '"world model" OR grokking', 'transformers', 'diffusion', 'grokking transformers'];
    for (let i = 0; i < 40; i++) await store.addSubscription(channel(i), queries[i % queries.length]!, 'U1', at);
    const local = new SubscriptionMatcher({ workerThreshold: null });
    const split = new SubscriptionMatcher({ workerThreshold: 0 });
    const everything = async (matcher: SubscriptionMatcher) => {
      const result: Record<string, string[]> = {};
      for (const [key, found] of await matcher.run(store, papers)) result[key] = found.papers.map((paper, i) => `${paper.id} ${found.subscriptions[i]!.id}`);
      return result;
    };
    const first = await everything(local);
    expect(Object.keys(first).length).toBeGreaterThan(10);
    expect(await everything(split)).toEqual(first);
    // All of it in the workers: this thread keeps none of the index.
    expect((split as unknown as { index: { size: number } }).index.size).toBe(0);
    for (let i = 0; i < 40; i += 3) await store.removeSubscriptions(channel(i), { all: true });
    for (let i = 40; i < 50; i++) await store.addSubscription(channel(i), queries[(i * 5) % queries.length]!, 'U1', at);
    const second = await everything(local);
    expect(second).not.toEqual(first);
    expect(await everything(split)).toEqual(second);
  });

  it('learns removals from the store log and files a subscription that reuses a removed id', async () => {
    const store = open();
    const matcher = new SubscriptionMatcher();
    for (let i = 1; i <= 5; i++) await store.addSubscription(channel(i), 'grokking', 'U1', at);
    expect(Object.keys(await matched(matcher, store))).toHaveLength(5);

    // The highest id goes and a new subscription comes: SQLite gives it the same id again.
    const [last] = (await store.listSubscriptions(channel(5)));
    await store.removeSubscriptions(channel(5), { id: last!.id });
    await store.removeSubscriptions(channel(2), { all: true });
    await store.addSubscription(channel(6), 'author:"Ziming Liu"', 'U1', at);
    expect(await matched(matcher, store)).toEqual({
      'slack:C00000001': ['2603.00048 grokking', '2603.00049 grokking'],
      'slack:C00000003': ['2603.00048 grokking', '2603.00049 grokking'],
      'slack:C00000004': ['2603.00048 grokking', '2603.00049 grokking'],
      'slack:C00000006': ['2603.00048 author:"Ziming Liu"', '2603.00049 author:"Ziming Liu"'],
    });
  });

  it('reads only what changed on a later run, and a query that no longer parses is not read again', async () => {
    const store = open();
    for (let i = 0; i < 30; i++) await store.addSubscription(channel(i), i % 2 ? 'grokking' : 'world model', 'U1', at);
    // Written by an older version whose grammar allowed it: never matches, and must not be re-read every run.
    await store.addSubscription(channel(99), '"', 'U1', at);
    const reads: number[] = [];
    const asked: string[] = [];
    const counting = {
      subscriptionIdsAfter: (after: number, limit: number) => store.subscriptionIdsAfter(after, limit),
      subscriptionRemovalsSince: (cursor: string | null) => store.subscriptionRemovalsSince(cursor),
      documentFrequencies: (tokens: readonly string[]) => {
        asked.push(...tokens);
        return store.documentFrequencies(tokens);
      },
      subscriptionsAfter: async (after: number, limit: number) => {
        const page = await store.subscriptionsAfter(after, limit);
        reads.push(page.length);
        return page;
      },
    } as Store;
    const matcher = new SubscriptionMatcher();
    const first = await matcher.run(counting, papers);
    expect(reads).toEqual([31]);
    expect(first.size).toBe(30);
    // Each query token's paper count is asked for once, when its first subscription is filed.
    expect([...asked].sort()).toEqual(['grokking', 'model', 'world'].map((word) => tokenize(word)[0]!).sort());
    asked.length = 0;
    reads.length = 0;
    await store.addSubscription(channel(40), 'grokking', 'U1', at);
    const second = await matcher.run(counting, papers);
    expect(reads).toEqual([1]);
    expect(second.size).toBe(31);
    expect(asked).toEqual([]);
    reads.length = 0;
    await matcher.run(counting, papers);
    expect(reads).toEqual([]);
  });

  it("a run's matches, read after later runs gave its removed subscriptions' places to new ones, still name what matched", async () => {
    const store = open();
    for (const split of [null, 0]) {
      const matcher = new SubscriptionMatcher({ workerThreshold: split });
      const base = split === null ? 100 : 200;
      for (let i = 0; i < 6; i++) await store.addSubscription(channel(base + i), i % 2 ? 'grokking' : '"world model" OR grokking', 'U1', at);
      const first = await matcher.run(store, papers);
      const before = (await store.listSubscriptions()).filter((s) => Number(s.channel.id.slice(1)) >= base && Number(s.channel.id.slice(1)) < base + 6);
      // Every subscription goes; new ones take their places, in the index here or in the workers.
      for (let i = 0; i < 6; i++) await store.removeSubscriptions(channel(base + i), { all: true });
      for (let i = 0; i < 6; i++) await store.addSubscription(channel(base + 50 + i), 'transformers', 'U1', at);
      const second = await matcher.run(store, papers);
      await matcher.run(store, papers);
      for (const subscription of before) {
        const found = first.get(`slack:${subscription.channel.id}`)!;
        expect(found.subscriptions.length).toBeGreaterThan(0);
        for (const named of found.subscriptions) expect(named).toEqual({ id: subscription.id, query: subscription.query });
      }
      for (let i = 0; i < 6; i++) expect(second.get(`slack:${channel(base + 50 + i).id}`)?.subscriptions[0]?.query).toBe('transformers');
      for (let i = 0; i < 6; i++) await store.removeSubscriptions(channel(base + 50 + i), { all: true });
    }
  });
});

describe('subscription index runs', () => {
  it('refuses to run once its worker thread has failed, and says it is broken', async () => {
    const subs = new Map<number, string>([[1, 'grokking'], [2, 'grokking']]);
    const store = {
      subscriptionIdsAfter: async (after: number) => [...subs.keys()].filter((id) => id > after),
      subscriptionsAfter: async (after: number) =>
        [...subs].filter(([id]) => id > after).map(([id, query]) => ({ id, channel: channel(id), query, createdBy: 'U1', createdAt: at })),
      subscriptionRemovalsSince: async () => ({ ids: [], cursor: '0' }),
      documentFrequencies: async () => new Map(),
    } as unknown as Store;
    const matcher = new SubscriptionMatcher({ workerThreshold: 0 });
    expect((await matcher.run(store, papers)).size).toBe(2);
    expect(matcher.broken).toBe(false);
    // As if one thread died (out of memory, say).
    await (matcher as unknown as { remotes: { stop(): Promise<number> }[] }).remotes[1]!.stop();
    await expect(matcher.run(store, papers)).rejects.toThrow(/worker stopped/);
    expect(matcher.broken).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')('runs its worker threads at the lowest priority, so acks on the main thread come first', async () => {
    // Each thread of this process and its nice value (field 19 of /proc/self/task/<tid>/stat).
    const niceThreads = () =>
      readdirSync('/proc/self/task').filter((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '19';
      }).length;
    const before = niceThreads();
    const store = {
      subscriptionIdsAfter: async (after: number) => (after < 1 ? [1] : []),
      subscriptionsAfter: async (after: number) => (after < 1 ? [{ id: 1, channel: channel(1), query: 'grokking', createdBy: 'U1', createdAt: at }] : []),
      subscriptionRemovalsSince: async () => ({ ids: [], cursor: '0' }),
      documentFrequencies: async () => new Map(),
    } as unknown as Store;
    const matcher = new SubscriptionMatcher({ workerThreshold: 0 });
    await matcher.run(store, papers);
    expect(niceThreads()).toBe(before + 2);
    for (const remote of (matcher as unknown as { remotes: { stop(): Promise<number> }[] }).remotes) await remote.stop();
  });

  it('reads every id on the first run only: later runs read the removal log and the ids near the top', async () => {
    const subs = new Map<number, string>(Array.from({ length: 3_000 }, (_, i) => [i + 1, i % 2 ? 'grokking' : 'world model'] as const));
    const removed: number[] = [];
    const idReads: number[] = [];
    const store = {
      subscriptionIdsAfter: async (after: number, limit: number) => {
        idReads.push(after);
        return [...subs.keys()].filter((id) => id > after).slice(0, limit);
      },
      subscriptionsAfter: async (after: number, limit: number) =>
        [...subs].filter(([id]) => id > after).slice(0, limit).map(([id, query]) => ({ id, channel: channel(id), query, createdBy: 'U1', createdAt: at })),
      subscriptionRemovalsSince: async (cursor: string | null) => ({ ids: cursor === null ? [] : removed.slice(Number(cursor)), cursor: String(removed.length) }),
      documentFrequencies: async () => new Map(),
    } as unknown as Store;
    const matcher = new SubscriptionMatcher();
    expect((await matcher.run(store, papers)).size).toBe(3_000);
    expect(idReads[0]).toBe(0);

    subs.delete(10);
    removed.push(10);
    subs.set(3_001, 'grokking');
    idReads.length = 0;
    const later = await matcher.run(store, papers);
    expect(later.size).toBe(3_000);
    expect(later.has('slack:C00000010')).toBe(false);
    expect(later.has('slack:C00003001')).toBe(true);
    expect(Math.min(...idReads)).toBe(3_000 - 1_000);
  });

  it('one at a time: overlapping runs each see a consistent index', async () => {
    const subs = new Map<number, string>([[1, 'grokking']]);
    const store = {
      subscriptionIdsAfter: async (after: number) => [...subs.keys()].filter((id) => id > after),
      documentFrequencies: async () => new Map(),
      subscriptionRemovalsSince: async () => ({ ids: [], cursor: '0' }),
      subscriptionsAfter: async (after: number) =>
        [...subs].filter(([id]) => id > after).map(([id, query]) => ({ id, channel: channel(id), query, createdBy: 'U1', createdAt: at })),
    } as unknown as Store;
    const matcher = new SubscriptionMatcher();
    const runs = [matcher.run(store, papers), matcher.run(store, papers)];
    subs.set(2, 'grokking');
    expect((await Promise.all(runs)).map((result) => result.size)).toEqual([2, 2]);
  });

  it('names the right subscription for every one of 85,000 matches', async () => {
    const queries = ['grokking', 'Grokking -omnigrok', 'author:"Ziming Liu"', 'grokking OR "world model"'];
    const subscriptions = Array.from({ length: 20_000 }, (_, i) => ({ id: i + 1, channel: channel(i), query: `${queries[i % queries.length]!}`, createdBy: 'U1', createdAt: at }));
    const result = await SubscriptionMatcher.matchList(subscriptions, papers);
    let pairs = 0;
    for (const subscription of subscriptions) {
      const found = result.get(`slack:${subscription.channel.id}`);
      expect(found?.subscriptions.map((s) => s.query) ?? []).toEqual(found?.papers.map(() => subscription.query) ?? []);
      expect(found?.subscriptions.every((s) => s.id === subscription.id) ?? true).toBe(true);
      pairs += found?.papers.length ?? 0;
    }
    expect(pairs).toBe(85_000);
  });
});
