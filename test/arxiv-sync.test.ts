import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { createArxivSource, type ArxivSource } from '../src/papers/arxiv.js';
import { syncArxiv } from '../src/papers/arxiv-sync.js';
import { createHuggingFaceSource, type HuggingFaceSource } from '../src/papers/huggingface.js';
import { Scheduler, type CronLike } from '../src/schedule/scheduler.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { makeArxivListing, startFakeArxivServer, type FakeArxivServer } from './fakes/arxiv-server.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const INTERVAL = 100;
let arxivFake: FakeArxivServer | null = null;
let hfFake: FakeHfServer | null = null;
let arxiv: ArxivSource | null = null;
let hf: HuggingFaceSource | null = null;
let store: SqliteStore | null = null;

afterEach(async () => {
  await arxiv?.close();
  await hf?.close();
  await store?.close();
  expect(arxivFake?.violations ?? []).toEqual([]);
  expect(arxivFake?.unknownRoutes ?? []).toEqual([]);
  await arxivFake?.close();
  await hfFake?.close();
  arxivFake = hfFake = arxiv = hf = store = null;
});

const pause = () => new Promise((resolve) => setTimeout(resolve, INTERVAL));

describe('syncArxiv', () => {
  it('looks two days back at first, then from the newest submission seen less a day; a failure keeps its place', async () => {
    let now = new Date('2026-05-19T20:00:00Z');
    const clock = () => now;
    // One paper every 6 hours back from 18:00 on 19 May: 8 within two days (down to 18 May 00:00), 4 older.
    arxivFake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: makeArxivListing(12, '2026-05-19T18:00:00Z', { stepMinutes: 360 }) });
    arxiv = createArxivSource({ baseUrl: arxivFake.url, categories: ['cs.LG', 'cs.CL'], intervalMs: INTERVAL, pageSize: 5, clock });
    store = openSqliteStore(':memory:');
    const deps = { source: arxiv, store, clock, logger: silentLogger };

    const first = await syncArxiv(deps);
    expect(first).toMatchObject({ since: new Date('2026-05-17T20:00:00Z'), pages: 2, papers: 8, papersAdded: 8, status: 'complete' });
    expect(await store.getState('arxiv.newest:cs.CL,cs.LG')).toBe('2026-05-19T18:00:00.000Z');

    // Two new submissions; the next sync reaches back to 18 May 18:00 and adds only those.
    arxivFake.setEntries([...makeArxivListing(2, '2026-05-20T06:00:00Z', { first: 100 }), ...makeArxivListing(12, '2026-05-19T18:00:00Z', { stepMinutes: 360 })]);
    now = new Date('2026-05-20T08:00:00Z');
    await pause();
    const second = await syncArxiv(deps);
    expect(second).toMatchObject({ since: new Date('2026-05-18T18:00:00Z'), papers: 7, papersAdded: 2, status: 'complete' });
    expect(await store.getState('arxiv.newest:cs.CL,cs.LG')).toBe('2026-05-20T06:00:00.000Z');

    // arXiv down (its HTML 503 page, after retries): reported, nothing thrown, the place kept.
    arxivFake.fail({ kind: 'status', status: 503 }, 10);
    await pause();
    const failed = await syncArxiv({ ...deps, source: createArxivSource({ baseUrl: arxivFake.url, categories: ['cs.LG', 'cs.CL'], intervalMs: INTERVAL, maxAttempts: 2, clock }) });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^arXiv answered HTTP 503 for \/api\/query\?.* \(after 2 attempts\)$/);
    expect(await store.getState('arxiv.newest:cs.CL,cs.LG')).toBe('2026-05-20T06:00:00.000Z');
  });

  it('a short page keeps the place, so the next sync asks again', async () => {
    const clock = () => new Date('2026-05-19T20:00:00Z');
    arxivFake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: makeArxivListing(8, '2026-05-19T18:00:00Z', { stepMinutes: 60 }) });
    arxiv = createArxivSource({ baseUrl: arxivFake.url, categories: ['cs.LG'], intervalMs: INTERVAL, pageSize: 5, clock });
    store = openSqliteStore(':memory:');
    arxivFake.fail({ kind: 'short-page', entries: 3 });
    const report = await syncArxiv({ source: arxiv, store, clock });
    expect(report).toMatchObject({ pages: 1, papersAdded: 3, status: 'cut-short' });
    expect(await store.getState('arxiv.newest:cs.LG')).toBeNull();
  });
});

class ManualCron implements CronLike {
  schedule() {
    return { stop() {} };
  }
}

describe('Scheduler with arXiv as a second source', () => {
  const channel: ChannelRef = { platform: 'slack', id: 'C0ARXIV01' };

  async function setUp() {
    let now = new Date('2026-05-19T08:00:00Z');
    const clock = () => now;
    hfFake = await startFakeHfServer({ days: { '2026-05-19': [] } });
    arxivFake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: [] });
    hf = createHuggingFaceSource({ baseUrl: hfFake.url, rateLimit: false, maxAttempts: 1, clock });
    arxiv = createArxivSource({ baseUrl: arxivFake.url, categories: ['cs.CL'], intervalMs: INTERVAL, maxAttempts: 1, clock });
    store = openSqliteStore(':memory:');
    const publisher = new ThreadPublisher('slack');
    const logs: string[] = [];
    const logger = createLogger('warn', new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) }));
    const scheduler = new Scheduler({
      store,
      summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock }),
      publishers: new Map<string, ChannelPublisher>([['slack', publisher]]),
      clock,
      logger,
      source: hf,
      arxiv,
      configuredChannels: [channel],
      defaults: { time: '09:00', timeZone: 'UTC', size: 5 },
      syncIntervalMinutes: 60,
      lateRecheckHours: 6,
      cron: new ManualCron(),
    });
    return { publisher, scheduler, logs, setNow: (iso: string) => (now = new Date(iso)) };
  }

  it('alerts a subscription to a paper only arXiv has; the digest stays HF’s list', async () => {
    const { publisher, scheduler, setNow } = await setUp();
    await store!.addSubscription(channel, 'tokamak', 'U1', new Date('2026-05-01T00:00:00Z'));
    await store!.addSubscription(channel, 'grokking', 'U1', new Date('2026-05-01T00:00:00Z'));
    await scheduler.syncAndAlert(); // sets the alert watermark

    hfFake!.setDay('2026-05-19', [
      makeHfEntry({ id: '2605.10001', title: 'Grokking at Scale', upvotes: 50, day: '2026-05-19' }),
      makeHfEntry({ id: '2605.10002', title: 'Diffusion for Video', upvotes: 20, day: '2026-05-19' }),
    ]);
    arxivFake!.setEntries([
      { id: '2605.18877', title: 'Tokamak-Style Confinement for Long-Context Language Models', categories: ['cs.CL'], published: '2026-05-18T13:02:44Z' },
      // On both: one paper, one alert.
      { id: '2605.10001', title: 'Grokking at Scale', categories: ['cs.CL'], published: '2026-05-18T10:00:00Z' },
    ]);
    setNow('2026-05-19T08:30:00Z');
    await pause();
    await scheduler.syncAndAlert();
    expect(publisher.parents.map((p) => p.title)).toEqual(['2 new papers for your subscriptions']);
    expect(publisher.items.map((i) => [i.paperId, i.matched])).toEqual([
      ['2605.10001', 'grokking'],
      ['2605.18877', 'tokamak'],
    ]);
    expect((await store!.getPaper('2605.10001'))?.upvotes).toBe(50);

    // The 09:00 digest is HF's day: the arXiv-only paper is not in it (and the alerted HF one is not repeated).
    setNow('2026-05-19T09:00:00Z');
    await scheduler.sweep();
    expect(publisher.parents.map((p) => p.title)).toEqual(['2 new papers for your subscriptions', expect.stringContaining('Trending papers')]);
    expect(publisher.items.map((i) => i.paperId)).toEqual(['2605.10001', '2605.18877', '2605.10002']);
  });

  it('arXiv failing does not stop HF’s papers or their alerts; it is logged and asked again next round', async () => {
    const { publisher, scheduler, logs, setNow } = await setUp();
    await store!.addSubscription(channel, 'grokking', 'U1', new Date('2026-05-01T00:00:00Z'));
    await scheduler.syncAndAlert();
    hfFake!.setDay('2026-05-19', [makeHfEntry({ id: '2605.10001', title: 'Grokking at Scale', upvotes: 50, day: '2026-05-19' })]);
    arxivFake!.fail({ kind: 'status', status: 500 });
    setNow('2026-05-19T08:30:00Z');
    await pause();
    await scheduler.syncAndAlert();
    expect(publisher.items.map((i) => i.paperId)).toEqual(['2605.10001']);
    expect(logs.join('')).toContain('arXiv sync failed; retried at the next sync');
    const asked = arxivFake!.requests.length;
    setNow('2026-05-19T09:30:00Z');
    await pause();
    await scheduler.syncAndAlert();
    expect(arxivFake!.requests.length).toBe(asked + 1);
    expect(arxivFake!.requests.at(-1)!.status).toBe(200);
  });
});
