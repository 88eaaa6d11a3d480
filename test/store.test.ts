import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { listingsFor, makePaper } from './support/papers.js';
import { matchesPaper } from '../src/search/match.js';
import { parseQuery } from '../src/search/parse.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import type { ChannelRef } from '../src/channel.js';
import { redactUrl } from '../src/http/redact-url.js';
import { openPostgresStore } from '../src/store/postgres/index.js';
import { MIGRATIONS as PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { tokenize } from '../src/search/normalise.js';
import { dropSchema, EACH_BACKEND, freshSchemaName, POSTGRES_SKIP, TEST_DATABASE_URL, useBackend } from './support/stores.js';

const slack = { platform: 'slack' as const, id: 'C0123ABCD' };
const at = new Date('2026-05-18T09:00:00Z');
let stores: SqliteStore[] = [];

function openFile(path: string): SqliteStore {
  const store = openSqliteStore(path);
  stores.push(store);
  return store;
}

/** The ids of the first five hits for `text`, as /papers ranks them on 18 May 2026. */
async function searchIds(store: Store, text: string): Promise<string[]> {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return (await store.searchPapers(parsed.query, { limit: 5, offset: 0, now: new Date('2026-05-18T12:00:00Z') })).map((hit) => hit.paper.id);
}

afterEach(async () => {
  for (const store of stores) await store.close();
  stores = [];
});

describe('SQLite store file', () => {
  it('creates the file with WAL on first run and migrates idempotently', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-')), 'nested', 'paperboy.db');
    const first = openFile(path);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    await first.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001' })]), at);
    await first.close();
    const again = openFile(path);
    expect(again.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // The sweep of expired request keys, run on every Slack request, is an index range, not a table scan.
    const plan = again.db.prepare('EXPLAIN QUERY PLAN DELETE FROM seen_keys WHERE expires_at < ?').all('2026-01-01') as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toContain('USING COVERING INDEX seen_keys_expiry');
    expect(await again.countPapers()).toBe(1);
  });
});

describe.each(EACH_BACKEND)('%s store', (_, backend) => {
  const open = useBackend(backend);

  it('saves a day idempotently: a rerun adds no rows', async () => {
    const store = open();
    const papers = [makePaper({ id: '2605.00001', upvotes: 50 }), makePaper({ id: '2605.00002', upvotes: 20 })];
    const first = await store.saveDay('2026-05-18', listingsFor('2026-05-18', papers), at);
    expect(first).toEqual({ papersAdded: 2, papersUpdated: 0, listingsAdded: 2 });
    const count = () => Promise.all(backend.dayTables.map((table) => store.countRows(table)));
    const tables = await count();
    const second = await store.saveDay('2026-05-18', listingsFor('2026-05-18', papers), at);
    expect(second).toEqual({ papersAdded: 0, papersUpdated: 2, listingsAdded: 0 });
    expect(await count()).toEqual(tables);
  });

  it('logs every subscription removal, however it was removed, for readers that keep an index', async () => {
    const store = open();
    const add = async (n: number, query: string) => (await store.addSubscription({ platform: 'slack', id: `C0LOG${n}` }, query, 'U1', at)).subscription.id;
    const start = await store.subscriptionRemovalsSince(null);
    expect(start.ids).toEqual([]);
    const a = await add(1, 'grokking');
    const b = await add(1, 'diffusion');
    const c = await add(2, 'agents');
    const d = await add(3, 'robots');
    await store.removeSubscriptions({ platform: 'slack', id: 'C0LOG1' }, { id: a });
    await store.removeSubscriptions({ platform: 'slack', id: 'C0LOG1' }, { query: 'diffusion' });
    await store.removeSubscriptions({ platform: 'slack', id: 'C0LOG2' }, { all: true });
    const first = await store.subscriptionRemovalsSince(start.cursor);
    expect(first.ids).toEqual([a, b, c]);
    await store.removeSubscriptions({ platform: 'slack', id: 'C0LOG3' }, { all: true });
    // Read again from the new cursor: the new removal, and (PostgreSQL looks back a little) maybe earlier ones.
    const second = await store.subscriptionRemovalsSince(first.cursor);
    expect(second.ids).toContain(d);
    expect(new Set(second.ids).size <= 4 && second.ids.every((id) => [a, b, c, d].includes(id))).toBe(true);
  });

  it('counts the papers each search token occurs in, for rare-word anchors in alert matching', async () => {
    const store = open();
    await store.saveDay(
      '2026-05-18',
      listingsFor('2026-05-18', [
        makePaper({ id: '2605.00001', title: 'Grokking in transformers', abstract: 'Grokking again.' }),
        makePaper({ id: '2605.00002', title: 'Sparse transformers', abstract: 'Nothing else.' }),
      ]),
      at,
    );
    // Normalised tokens, as the index holds them (folded and stemmed).
    const [grokking, transformers, neverSeen] = tokenize('Grokking transformers quasicrystal');
    const counts = await store.documentFrequencies([grokking!, transformers!, neverSeen!]);
    expect(Object.fromEntries(counts)).toEqual({ [grokking!]: 1, [transformers!]: 2 });
  });

  it('keeps the newest upvotes and the day order HF gave', async () => {
    const store = open();
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001', upvotes: 5 }), makePaper({ id: '2605.00002', upvotes: 3 })]), at);
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00002', upvotes: 90, comments: 4 }), makePaper({ id: '2605.00001', upvotes: 40 })]), at);
    const listings = await store.listingsForDay('2026-05-18');
    expect(listings.map((l) => [l.paper.id, l.rank, l.paper.upvotes])).toEqual([
      ['2605.00002', 1, 90],
      ['2605.00001', 2, 40],
    ]);
    expect((await store.getPaper('2605.00002'))?.comments).toBe(4);
  });

  it('keeps fields a sparser endpoint omits', async () => {
    const store = open();
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001', comments: 7, githubRepo: 'https://github.com/o/r', githubStars: 12, aiKeywords: ['grokking'] })]), at);
    await store.savePapers([makePaper({ id: '2605.00001', upvotes: 30 })]);
    const paper = await store.getPaper('2605.00001');
    expect(paper).toMatchObject({ upvotes: 30, comments: 7, githubRepo: 'https://github.com/o/r', githubStars: 12, aiKeywords: ['grokking'] });
  });

  it('finds a paper by its new words once its text changes, and no longer by the old ones', async () => {
    const store = open();
    const search = (text: string) => searchIds(store, text);
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001', title: 'Grokking revisited' }), makePaper({ id: '2605.00002' })]), at);
    await store.savePapers([makePaper({ id: '2605.00001', title: 'Superposition revisited', authors: ['Chris Olah'] })]);
    expect(await search('superposition')).toEqual(['2605.00001']);
    expect(await search('author:"Chris Olah"')).toEqual(['2605.00001']);
    expect(await search('grokking')).toEqual([]);
    expect(await search('author:Lovelace')).toEqual(['2605.00002']);
  });

  it('keeps a paper findable by keywords a sparser endpoint omitted when its text changes', async () => {
    const store = open();
    const search = (text: string) => searchIds(store, text);
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001', title: 'Grokking revisited', aiKeywords: ['superposition'] })]), at);
    // The search endpoint carries no keywords: the stored ones stay, in the row and in the index.
    await store.savePapers([makePaper({ id: '2605.00001', title: 'Grokking, revisited again', aiKeywords: [] })]);
    expect((await store.getPaper('2605.00001'))?.aiKeywords).toEqual(['superposition']);
    expect(await search('superposition')).toEqual(['2605.00001']);
    await store.savePapers([makePaper({ id: '2605.00001', title: 'Grokking, revisited again', aiKeywords: ['superposition'] })]);
    expect(await search('superposition')).toEqual(['2605.00001']);
  });

  it('a paper re-listed on a later day keeps one row and appears on both days', async () => {
    const store = open();
    const paper = makePaper({ id: '2604.07429' });
    await store.saveDay('2026-04-10', listingsFor('2026-04-10', [paper]), at);
    await store.saveDay('2026-04-16', listingsFor('2026-04-16', [paper]), at);
    expect(await store.countPapers()).toBe(1);
    expect((await store.listingsForDay('2026-04-10')).length).toBe(1);
    expect((await store.listingsForDay('2026-04-16')).length).toBe(1);
  });

  it('finds the latest day with papers, ignoring empty weekend days', async () => {
    const store = open();
    await store.saveDay('2026-05-15', listingsFor('2026-05-15', [makePaper({ id: '2605.00001' })]), at);
    await store.saveDay('2026-05-16', [], at);
    await store.saveDay('2026-05-17', [], at);
    expect(await store.latestDayWithPapers('2026-05-17')).toBe('2026-05-15');
    expect(await store.latestDayWithPapers('2026-05-14')).toBeNull();
    expect((await store.syncedDays('2026-05-15', '2026-05-17')).map((d) => [d.day, d.papers])).toEqual([
      ['2026-05-15', 1],
      ['2026-05-16', 0],
      ['2026-05-17', 0],
    ]);
  });

  it('rolls back a day that fails half-way', async () => {
    const store = open();
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001' })]), at);
    const broken = makePaper({ id: '2605.00002' });
    (broken as { title: unknown }).title = null; // violates NOT NULL inside the transaction
    await expect(store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00003' }), broken]), at)).rejects.toThrow();
    expect((await store.listingsForDay('2026-05-18')).map((l) => l.paper.id)).toEqual(['2605.00001']);
    expect(await store.getPaper('2605.00003')).toBeNull();
  });

  it('stores channel settings and subscriptions per channel', async () => {
    const store = open();
    await store.saveChannelSettings({ channel: slack, time: '08:30', timeZone: 'Europe/Berlin', size: 5, paused: false, emptyDayNote: true });
    expect(await store.getChannelSettings(slack)).toMatchObject({ time: '08:30', timeZone: 'Europe/Berlin', size: 5, emptyDayNote: true });
    const a = await store.addSubscription(slack, 'grokking', 'U1', at);
    const again = await store.addSubscription(slack, 'grokking', 'U2', at);
    expect(again).toMatchObject({ created: false, subscription: { id: a.subscription.id, createdBy: 'U1' } });
    await store.addSubscription(slack, '"in-context learning" -survey', 'U1', at);
    await store.addSubscription({ platform: 'discord', id: '123456789012345678' }, 'grokking', 'U9', at);
    expect((await store.listSubscriptions(slack)).map((s) => s.query)).toEqual(['grokking', '"in-context learning" -survey']);
    expect(await store.removeSubscriptions(slack, { id: a.subscription.id })).toBe(1);
    expect(await store.removeSubscriptions(slack, { all: true })).toBe(1);
    expect((await store.listSubscriptions()).length).toBe(1);
  });

  it('reads every channel\'s subscriptions page by page, by id', async () => {
    const store = open();
    const discord = { platform: 'discord' as const, id: '123456789012345678' };
    const added = [];
    for (let i = 0; i < 7; i++) added.push((await store.addSubscription(i % 2 ? slack : discord, `topic ${i}`, 'U1', at)).subscription.id);
    await store.removeSubscriptions(discord, { query: 'topic 2' });
    const pages = [];
    for (let after = 0; ; ) {
      const page = await store.subscriptionsAfter(after, 3);
      pages.push(page.map((s) => s.query));
      if (page.length < 3) break;
      after = page[page.length - 1]!.id;
    }
    expect(pages).toEqual([['topic 0', 'topic 1', 'topic 3'], ['topic 4', 'topic 5', 'topic 6'], []]);
    expect((await store.subscriptionsAfter(added[4]!, 10)).map((s) => s.channel)).toEqual([slack, discord]);
    expect(await store.subscriptionIdsAfter(0, 100)).toEqual(added.filter((_, i) => i !== 2));
    expect(await store.subscriptionIdsAfter(added[3]!, 2)).toEqual(added.slice(4, 6));
  });

  it('claims a delivery once and records intent, then the posted id', async () => {
    const store = open();
    const lease = new Date(at.getTime() + 30_000);
    const first = await store.acquireDelivery(slack, 'daily:2026-05-18', 'p1', at, lease);
    const second = await store.acquireDelivery(slack, 'daily:2026-05-18', 'p1', at, lease);
    expect([first.created, second.created, first.acquired, second.acquired]).toEqual([true, false, true, true]);
    await store.recordParent(slack, 'daily:2026-05-18', '1715.000100', null);
    await store.recordIntents(slack, 'daily:2026-05-18', ['2605.00002', '2605.00001'], at);
    await store.recordPosted(slack, 'daily:2026-05-18', '2605.00001', '1715.000200', at);
    const record = await store.getDelivery(slack, 'daily:2026-05-18');
    expect(record?.parentMessageId).toBe('1715.000100');
    // Frozen posting order, not id order.
    expect([...record!.papers]).toEqual([
      ['2605.00002', null],
      ['2605.00001', '1715.000200'],
    ]);
    expect((await store.incompleteDeliveries()).map((d) => d.key)).toEqual(['daily:2026-05-18']);
    await store.completeDelivery(slack, 'daily:2026-05-18', at);
    expect(await store.getDelivery(slack, 'daily:2026-05-18')).toMatchObject({ owner: null, leaseUntil: null });
    expect((await store.acquireDelivery(slack, 'daily:2026-05-18', 'p1', at, lease)).acquired).toBe(false);
    expect(await store.incompleteDeliveries(slack)).toEqual([]);
    expect(await store.receivedPaperIds(slack, ['2605.00001', '2605.00002', '2605.00003'])).toEqual(new Set(['2605.00001']));
    await store.releaseDelivery(slack, 'daily:2026-05-18');
    expect(await store.getDelivery(slack, 'daily:2026-05-18')).toBeNull();
  });

  it("finds each paper's first confirmed post in a channel: its delivery, message, thread and time", async () => {
    const store = open();
    const discord = { platform: 'discord' as const, id: '123456789012345678' };
    const later = new Date(at.getTime() + 86_400_000);
    const deliver = async (channel: ChannelRef, key: string, when: Date, parent: string, thread: string | null, posts: [string, string | null][]) => {
      await store.acquireDelivery(channel, key, 'p1', when, new Date(when.getTime() + 30_000));
      await store.recordParent(channel, key, parent, thread);
      await store.recordIntents(channel, key, posts.map(([id]) => id), when);
      for (const [id, message] of posts) if (message) await store.recordPosted(channel, key, id, message, when);
    };
    await deliver(slack, 'alert:2026-05-18T09:00:00.000Z', at, '1715.000100', null, [['2605.00001', '1715.000101'], ['2605.00002', null]]);
    // Shown again a day later (a pointer in a digest): the first post stays the one to link to.
    await deliver(slack, 'daily:2026-05-19', later, '1715.000300', null, [['2605.00001', '1715.000300'], ['2605.00003', '1715.000301']]);
    await deliver(discord, 'daily:2026-05-18', at, '223456789012345678', '323456789012345678', [['2605.00002', '423456789012345678']]);

    const found = await store.earlierPosts(slack, ['2605.00001', '2605.00002', '2605.00003', '2605.00009']);
    expect([...found.keys()].sort()).toEqual(['2605.00001', '2605.00003']);
    expect(found.get('2605.00001')).toEqual({
      channel: slack,
      paperId: '2605.00001',
      key: 'alert:2026-05-18T09:00:00.000Z',
      message: { id: '1715.000101', threadId: null },
      parentMessageId: '1715.000100',
      postedAt: at,
    });
    expect(found.get('2605.00003')).toMatchObject({ key: 'daily:2026-05-19', postedAt: later });
    // Follow replies go under the paper's own post, not under a digest that only pointed to it.
    expect(await store.lastPostOf(slack, '2605.00001')).toEqual({ id: '1715.000100', threadId: null });
    expect(await store.lastPostOf(slack, '2605.00003')).toEqual({ id: '1715.000300', threadId: null });
    expect((await store.earlierPosts(discord, ['2605.00002'])).get('2605.00002')).toMatchObject({ message: { id: '423456789012345678', threadId: '323456789012345678' }, parentMessageId: '223456789012345678' });
    expect(await store.earlierPosts(slack, [])).toEqual(new Map());
    // A weekly recap's repeat is not where a paper was discussed (nor does it count as received).
    await deliver(slack, 'weekly:2026-W21', later, '1715.000500', null, [['2605.00002', '1715.000501']]);
    expect((await store.earlierPosts(slack, ['2605.00002'])).size).toBe(0);
    // More ids than one SQLite statement may bind.
    const many = Array.from({ length: 1200 }, (_, i) => `2605.${String(10000 + i)}`);
    expect([...(await store.earlierPosts(slack, [...many, '2605.00003'])).keys()]).toEqual(['2605.00003']);
  });

  it('caches summaries by paper, model, prompt hash and language', async () => {
    const store = open();
    const summary = { tldr: 'Short.', keyPoints: ['a', 'b', 'c'], whyItMatters: 'Because.', source: 'llm' as const, model: 'm1' };
    const german = { ...summary, tldr: 'Kurz.' };
    const key = { paperId: '2605.00001', model: 'm1', promptHash: 'h1', language: 'en' };
    await store.putSummary(key, summary, at);
    await store.putSummary({ ...key, language: 'de' }, german, at);
    expect(await store.getSummary(key)).toEqual(summary);
    expect(await store.getSummary({ ...key, language: 'de' })).toEqual(german);
    expect(await store.getSummary({ ...key, language: 'pt-BR' })).toBeNull();
    expect(await store.getSummary({ ...key, promptHash: 'h2' })).toBeNull();
    expect(await store.getSummary({ ...key, model: 'm2' })).toBeNull();
  });

  it('reports health, and failure once closed', async () => {
    const store = open();
    expect(await store.health()).toMatchObject({ ok: true });
    await store.close();
    expect(await store.health()).toEqual({ ok: false, detail: 'store is closed' });
  });
});

describe.each(EACH_BACKEND)('list fields in the %s index', (_, backend) => {
  const open = useBackend(backend);

  it('a phrase never runs from one author (or keyword) into the next, in either back end', async () => {
    const store = open();
    const paper = makePaper({ id: '2605.00001', authors: ['Wang Liu', 'Chen Wang'], aiKeywords: ['grokking', 'softmax collapse'] });
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [paper]), at);
    const now = new Date('2026-05-18T12:00:00Z');
    for (const [text, expected] of [['author:"Liu Chen"', false], ['"grokking softmax"', false], ['author:"Chen Wang"', true], ['"softmax collapse"', true]] as const) {
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new Error(parsed.error);
      const hits = await store.searchPapers(parsed.query, { limit: 5, offset: 0, now });
      expect(hits.length > 0, text).toBe(expected);
      expect(matchesPaper(parsed.query, paper), text).toBe(expected);
    }
  });
});

describe('SQLite search cache', () => {
  it('serves a repeated search from memory until the next write', async () => {
    const store = openSqliteStore(':memory:');
    const parsed = parseQuery('grokking');
    if (!parsed.ok) throw new Error(parsed.error);
    const query = parsed.query;
    const now = new Date('2026-05-18T12:00:00Z');
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001', title: 'Grokking one' })]), at);
    const first = await store.searchPapers(query, { limit: 5, offset: 0, now });
    expect(await store.searchPapers(query, { limit: 5, offset: 0, now })).toBe(first);
    await store.savePapers([makePaper({ id: '2605.00002', title: 'Grokking two' })]);
    const after = await store.searchPapers(query, { limit: 5, offset: 0, now });
    expect(after.map((h) => h.paper.id).sort()).toEqual(['2605.00001', '2605.00002']);
    await store.saveDay('2026-05-19', listingsFor('2026-05-19', [makePaper({ id: '2605.00003', title: 'Grokking three' })]), at);
    expect((await store.searchPapers(query, { limit: 5, offset: 0, now })).length).toBe(3);
    await store.close();
  });
});

describe('openStore', () => {
  it('opens PostgreSQL for postgres:// URLs without connecting, and reports an unreachable server without its password', async () => {
    const store = openStore('postgresql://paperboy:s3cret@127.0.0.1:1/paperboy');
    const health = await store.health({ thorough: true });
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('postgresql://***@127.0.0.1:1/paperboy');
    expect(health.detail).toContain('ECONNREFUSED');
    expect(health.detail).not.toContain('s3cret');
    await expect(store.countPapers()).rejects.toThrow();
    await store.close();
    expect(await store.health()).toEqual({ ok: false, detail: 'store is closed' });
  });

  it('keeps SQLite for file paths, and names a file it cannot open', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-')), 'paperboy.db');
    const store = openStore(`sqlite:${path}`);
    expect(await store.health()).toEqual({ ok: true, detail: path });
    await store.close();
    expect(() => openStore('/dev/null/paperboy.db')).toThrow(expect.objectContaining({ code: 'store_open_failed', message: expect.stringContaining('DATABASE_URL=/dev/null/paperboy.db could not be opened:') }));
  });
});

describe('PostgreSQL migrations', () => {
  beforeEach((ctx) => {
    if (POSTGRES_SKIP) ctx.skip(POSTGRES_SKIP);
  });

  it('run once when several processes start at the same moment, and not again on reopening', async () => {
    const schema = freshSchemaName();
    const starting = Array.from({ length: 4 }, () => openPostgresStore(TEST_DATABASE_URL, { schema, max: 2 }));
    try {
      expect(await Promise.all(starting.map((store) => store.countPapers()))).toEqual([0, 0, 0, 0]);
      const reopened = openPostgresStore(TEST_DATABASE_URL, { schema, max: 1 });
      starting.push(reopened);
      expect(await reopened.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(PG_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
      expect(await reopened.health()).toEqual({ ok: true, detail: `${redactUrl(TEST_DATABASE_URL)} (schema ${schema})` });
    } finally {
      await Promise.all(starting.map((store) => store.close()));
      await dropSchema(schema);
    }
  });
});
