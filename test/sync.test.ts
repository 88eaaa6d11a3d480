import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHuggingFaceSource, type HuggingFaceSource } from '../src/papers/huggingface.js';
import { recentDays, syncDays, type SyncProgress } from '../src/papers/sync.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { makeHfDay, makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';

const NOW = new Date('2026-05-20T09:00:00Z');
const clock = () => NOW;

let fake: FakeHfServer;
let store: SqliteStore;
let source: HuggingFaceSource;

beforeEach(async () => {
  fake = await startFakeHfServer({
    days: {
      '2026-05-15': makeHfDay('2026-05-15', 120),
      '2026-05-16': [],
      '2026-05-17': [],
      '2026-05-18': makeHfDay('2026-05-18', 5),
    },
  });
  store = openSqliteStore(':memory:');
  source = createHuggingFaceSource({ baseUrl: fake.url, sleep: async () => {}, rateLimit: false, maxAttempts: 2, timeoutMs: 2_000 });
});

afterEach(async () => {
  expect(fake.unknownRoutes).toEqual([]);
  await source.close();
  await store.close();
  await fake.close();
});

const range = { from: '2026-05-15', to: '2026-05-18' };

describe('syncDays', () => {
  it('saves every day in HF order, weekends included as empty days', async () => {
    const report = await syncDays({ source, store, clock }, range);
    expect(report.days.map((d) => [d.day, d.papers, d.error])).toEqual([
      ['2026-05-15', 120, undefined],
      ['2026-05-16', 0, undefined],
      ['2026-05-17', 0, undefined],
      ['2026-05-18', 5, undefined],
    ]);
    expect(report).toMatchObject({ papersAdded: 125, papersUpdated: 0, failedDays: 0 });
    const listings = await store.listingsForDay('2026-05-15');
    expect(listings).toHaveLength(120);
    expect(listings.map((l) => l.rank)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(listings[0]!.paper.title).toBe('Paper 0 of 2026-05-15');
    expect((await store.syncedDays(range.from, range.to)).map((r) => [r.day, r.papers, r.syncedAt.toISOString()])).toEqual([
      ['2026-05-15', 120, NOW.toISOString()],
      ['2026-05-16', 0, NOW.toISOString()],
      ['2026-05-17', 0, NOW.toISOString()],
      ['2026-05-18', 5, NOW.toISOString()],
    ]);
  });

  it('is idempotent: a rerun adds no rows', async () => {
    await syncDays({ source, store, clock }, range);
    const countBefore = await store.countPapers();
    const listingsBefore = await store.listingsForDay('2026-05-15');
    const rerun = await syncDays({ source, store, clock }, range);
    expect(rerun).toMatchObject({ papersAdded: 0, papersUpdated: 125, failedDays: 0 });
    expect(await store.countPapers()).toBe(countBefore);
    expect(await store.listingsForDay('2026-05-15')).toEqual(listingsBefore);
    const rows = store.db.prepare('SELECT count(*) AS n FROM daily_listings').get() as { n: number };
    expect(rows.n).toBe(125);
  });

  it('picks up a day that grew and upvotes that rose', async () => {
    await syncDays({ source, store, clock }, range);
    fake.setDay('2026-05-18', [makeHfEntry({ id: '2605.19999', upvotes: 5000, day: '2026-05-18' }), ...makeHfDay('2026-05-18', 5)]);
    const report = await syncDays({ source, store, clock }, { from: '2026-05-18', to: '2026-05-18' });
    expect(report).toMatchObject({ papersAdded: 1, papersUpdated: 5 });
    const listings = await store.listingsForDay('2026-05-18');
    expect(listings.map((l) => l.paper.id)[0]).toBe('2605.19999');
    expect(listings).toHaveLength(6);
  });

  it('reports one failing day and carries on with the rest', async () => {
    fake.fail({ kind: 'status', status: 500 }, { day: '2026-05-16' });
    const report = await syncDays({ source, store, clock }, range);
    expect(report.failedDays).toBe(1);
    const failed = report.days.find((d) => d.day === '2026-05-16')!;
    expect(failed.error).toBe('Hugging Face answered HTTP 500 for /api/daily_papers?date=2026-05-16&limit=100&p=0 (after 2 attempts)');
    expect(report.days.filter((d) => !d.error).map((d) => d.day)).toEqual(['2026-05-15', '2026-05-17', '2026-05-18']);
    expect(report.papersAdded).toBe(125);
    expect((await store.syncedDays(range.from, range.to)).map((r) => r.day)).toEqual(['2026-05-15', '2026-05-17', '2026-05-18']);
  });

  it('writes nothing for a day whose second page fails (no partial day)', async () => {
    fake.fail({ kind: 'status', status: 503 }, { day: '2026-05-15', page: 1 });
    const report = await syncDays({ source, store, clock }, { from: '2026-05-15', to: '2026-05-15' });
    expect(report.failedDays).toBe(1);
    expect(fake.dailyRequests().map((r) => r.query.p)).toEqual(['0', '1', '1']);
    expect(await store.listingsForDay('2026-05-15')).toEqual([]);
    expect(await store.countPapers()).toBe(0);
    expect(await store.syncedDays('2026-05-15', '2026-05-15')).toEqual([]);
  });

  it('leaves the store untouched when HF is down', async () => {
    await syncDays({ source, store, clock }, { from: '2026-05-18', to: '2026-05-18' });
    const before = await store.listingsForDay('2026-05-18');
    fake.fail({ kind: 'reset' }, { times: 1_000 });
    const report = await syncDays({ source, store, clock }, range);
    expect(report.failedDays).toBe(4);
    expect(report.days.every((d) => d.error?.startsWith('Could not reach Hugging Face'))).toBe(true);
    expect(await store.listingsForDay('2026-05-18')).toEqual(before);
    expect(await store.countPapers()).toBe(5);
  });

  it('keeps a stored day when HF suddenly answers [] for it', async () => {
    await syncDays({ source, store, clock }, { from: '2026-05-18', to: '2026-05-18' });
    fake.setDay('2026-05-18', []);
    const report = await syncDays({ source, store, clock }, { from: '2026-05-18', to: '2026-05-18' });
    expect(report.days).toEqual([{ day: '2026-05-18', papers: 5, papersAdded: 0, papersUpdated: 0, kept: true }]);
    expect(await store.listingsForDay('2026-05-18')).toHaveLength(5);
  });

  it('reports progress for every day', async () => {
    const progress: SyncProgress[] = [];
    await syncDays({ source, store, clock }, { ...range, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => p.total === 4)).toBe(true);
    expect(progress.map((p) => p.day).sort()).toEqual(['2026-05-15', '2026-05-16', '2026-05-17', '2026-05-18']);
  });

  it('stays within its concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting = {
      async dailyPapers(day: string) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return await source.dailyPapers(day);
        } finally {
          inFlight--;
        }
      },
    };
    fake.fail({ kind: 'slow', delayMs: 30 }, { times: 1_000 });
    await syncDays({ source: counting, store, clock, concurrency: 2 }, { from: '2026-05-10', to: '2026-05-18' });
    expect(peak).toBe(2);
  });

  it('rejects bad ranges before any request', async () => {
    await expect(syncDays({ source, store }, { from: '2026-5-1', to: '2026-05-18' })).rejects.toMatchObject({ code: 'usage' });
    await expect(syncDays({ source, store }, { from: '2026-05-18', to: '2026-05-15' })).rejects.toThrow(/after/);
    await expect(syncDays({ source, store }, { from: '2010-01-01', to: '2026-05-18' })).rejects.toThrow(/split the range/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('recentDays', () => {
  it('is the last N UTC days up to today', () => {
    expect(recentDays(3, () => new Date('2026-05-18T23:59:59Z'))).toEqual({ from: '2026-05-16', to: '2026-05-18' });
    expect(recentDays(1, () => new Date('2026-03-01T00:00:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(recentDays(7, () => new Date('2026-03-02T09:00:00+10:00'))).toEqual({ from: '2026-02-23', to: '2026-03-01' });
  });

  it('stops asking once HF is unreachable: the other days fail at once with the same reason', async () => {
    fake.fail({ kind: 'reset' }, { times: 1000 });
    const report = await syncDays({ source, store, clock, concurrency: 2 }, { from: '2026-04-01', to: '2026-04-30' });
    expect(report.failedDays).toBe(30);
    expect(new Set(report.days.slice(2).map((d) => d.error)).size).toBe(1);
    // Two days in flight when HF first failed, each tried maxAttempts (2) times; nothing after that.
    expect(fake.dailyRequests().length).toBeLessThanOrEqual(4);
    expect(await store.countPapers()).toBe(0);
  });
});
