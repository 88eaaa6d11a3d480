import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../src/errors.js';
import { createRateLimiter } from '../src/http/rate-limiter.js';
import { parseRateLimitReset, parseRetryAfter } from '../src/http/retry.js';
import { createHuggingFaceSource, type HuggingFaceSource, type HuggingFaceSourceOptions } from '../src/papers/huggingface.js';
import { makeHfDay, makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';

const DAY = '2026-05-18';
const NOW = new Date('2026-05-18T12:00:00Z');
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/hf/${name}`, import.meta.url), 'utf8'));

let fake: FakeHfServer;
let sleeps: number[];
const sources: HuggingFaceSource[] = [];

function source(overrides: Partial<HuggingFaceSourceOptions> = {}): HuggingFaceSource {
  const created = createHuggingFaceSource({
    baseUrl: fake.url,
    sleep: async (ms) => void sleeps.push(ms),
    clock: () => NOW,
    random: () => 0.5,
    rateLimit: false,
    timeoutMs: 2_000,
    ...overrides,
  });
  sources.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  return error as PaperboyError;
}

beforeEach(async () => {
  fake = await startFakeHfServer();
  sleeps = [];
});

afterEach(async () => {
  expect(fake.unknownRoutes).toEqual([]);
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await fake.close();
});

describe('dailyPapers', () => {
  it('pages with limit=100 and p=0,1,… until a short page, ranking in HF order', async () => {
    fake.setDay(DAY, makeHfDay(DAY, 230));
    const listings = await source().dailyPapers(DAY);
    expect(listings).toHaveLength(230);
    expect(listings.map((l) => l.rank)).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    expect(listings.every((l) => l.day === DAY)).toBe(true);
    expect(listings[0]!.paper.upvotes).toBe(1000);
    expect(listings[229]!.paper.title).toBe(`Paper 229 of ${DAY}`);
    expect(fake.dailyRequests().map((r) => r.query)).toEqual([
      { date: DAY, limit: '100', p: '0' },
      { date: DAY, limit: '100', p: '1' },
      { date: DAY, limit: '100', p: '2' },
    ]);
  });

  it('asks for one more page after exactly 100 entries and stops at the empty one', async () => {
    fake.setDay(DAY, makeHfDay(DAY, 100));
    expect(await source().dailyPapers(DAY)).toHaveLength(100);
    expect(fake.dailyRequests().map((r) => r.query.p)).toEqual(['0', '1']);
  });

  it('treats [] (a weekend) as a normal answer', async () => {
    expect(await source().dailyPapers('2026-05-16')).toEqual([]);
    expect(fake.dailyRequests()).toHaveLength(1);
  });

  it('keeps the first listing of a paper that appears on two pages', async () => {
    const entries = makeHfDay(DAY, 150);
    entries[120] = entries[3]!;
    fake.setDay(DAY, entries);
    const listings = await source().dailyPapers(DAY);
    expect(listings).toHaveLength(149);
    expect(listings.filter((l) => l.paper.id === entries[3]!.paper.id).map((l) => l.rank)).toEqual([4]);
    expect(listings.map((l) => l.rank)).toEqual(Array.from({ length: 149 }, (_, i) => i + 1));
  });

  it('stops when a server ignores p and repeats a full page', async () => {
    const page = makeHfDay(DAY, 100);
    // Every page request gets the same 100 entries.
    fake.setDay(DAY, [...page, ...page, ...page, ...page]);
    const listings = await source().dailyPapers(DAY);
    expect(listings).toHaveLength(100);
    expect(fake.dailyRequests()).toHaveLength(2);
  });

  it('sends sort=trending and keeps HF trending order', async () => {
    const entries = makeHfDay(DAY, 3);
    fake.setDay(DAY, entries);
    fake.setTrending(DAY, [entries[2]!.paper.id, entries[0]!.paper.id, entries[1]!.paper.id]);
    const listings = await source().dailyPapers(DAY, { sort: 'trending' });
    expect(listings.map((l) => l.paper.id)).toEqual([entries[2]!.paper.id, entries[0]!.paper.id, entries[1]!.paper.id]);
    expect(listings.map((l) => l.rank)).toEqual([1, 2, 3]);
    expect(fake.dailyRequests()[0]!.query).toEqual({ date: DAY, limit: '100', p: '0', sort: 'trending' });
  });

  it('rejects a malformed day before any request', async () => {
    const error = await failure(source().dailyPapers('18/05/2026'));
    expect(error.code).toBe('usage');
    expect(fake.requests).toHaveLength(0);
  });

  it('maps the real schema: unknown fields accepted, optional fields absent, whitespace folded', async () => {
    fake.setDay(DAY, fixture('daily-2026-05-18.json') as unknown[]);
    const [full, wrapped, future] = await source().dailyPapers(DAY);
    expect(full).toEqual({
      day: DAY,
      rank: 1,
      paper: {
        id: '2605.15301',
        title: 'Sparse Grokking: When Small Models Suddenly Generalise',
        abstract: 'We show that sparse transformers grok modular arithmetic 3x faster than dense ones.',
        authors: ['Mira Okafor', 'Jonas Berg'],
        publishedAt: '2026-05-14',
        upvotes: 97,
        comments: 3,
        githubRepo: 'https://github.com/example/sparse-grokking',
        githubStars: 42,
        projectPage: 'https://sparse-grokking.github.io/',
        aiSummary: 'Sparse transformers generalise on modular arithmetic much sooner than dense ones.',
        aiKeywords: ['grokking', 'sparse transformers', 'modular arithmetic'],
        organization: 'Example Lab',
        thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2605.15301.png',
      },
    });
    expect(wrapped!.paper).toMatchObject({
      title: 'Hard-Wrapped Titles in the Wild: A Case Study',
      abstract: 'Abstracts copied from arXiv keep their hard wraps and doubled spaces.',
      projectPage: 'https://wrapped.example.org',
      githubRepo: null,
      githubStars: null,
      aiSummary: null,
      aiKeywords: [],
      organization: null,
      thumbnail: null,
      comments: 0,
    });
    expect(future!.paper).toMatchObject({ id: '2605.15303', authors: [], projectPage: null, upvotes: 0, comments: 1 });
  });

  it('reads the 2024 schema (no submittedOnDailyAt, mediaUrl, no submittedBy)', async () => {
    fake.setDay('2024-05-27', fixture('daily-2024-05-27-old-schema.json') as unknown[]);
    const [listing] = await source().dailyPapers('2024-05-27');
    expect(listing!.paper).toMatchObject({
      id: '2405.15701',
      title: 'Old-Schema Listings Before submittedOnDailyAt Existed',
      publishedAt: '2024-05-24',
      authors: ['Kofi Mensah', 'Sara Lindqvist'],
      upvotes: 31,
      comments: 2,
    });
  });

  it('skips an entry whose id is not an arXiv id instead of failing the day', async () => {
    fake.setDay(DAY, [makeHfEntry({ id: 'not-arxiv', upvotes: 9 }), makeHfEntry({ id: '2605.15320v2', upvotes: 3 })]);
    const listings = await source().dailyPapers(DAY);
    expect(listings.map((l) => [l.paper.id, l.rank])).toEqual([['2605.15320', 1]]);
  });
});

describe('retries and failures', () => {
  beforeEach(() => fake.setDay(DAY, makeHfDay(DAY, 3)));

  it('retries a 429 after the Retry-After seconds', async () => {
    fake.fail({ kind: 'rate-limit', retryAfter: '7' });
    expect(await source().dailyPapers(DAY)).toHaveLength(3);
    expect(sleeps).toEqual([7_000]);
    expect(fake.dailyRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('reads Retry-After as an HTTP date against the injected clock', async () => {
    fake.fail({ kind: 'rate-limit', retryAfter: new Date(NOW.getTime() + 5_000).toUTCString() });
    await source().dailyPapers(DAY);
    expect(sleeps).toEqual([5_000]);
  });

  it("honours HF's RateLimit header (t = seconds until reset) on a 429", async () => {
    fake.fail({ kind: 'rate-limit', rateLimit: '"api";r=0;t=42' });
    await source().dailyPapers(DAY);
    expect(sleeps).toEqual([42_000]);
  });

  it('backs off instead of hammering when the reset is t=0, and honours Retry-After on a 503', async () => {
    fake.fail({ kind: 'rate-limit', rateLimit: '"api";r=0;t=0' });
    await source().dailyPapers(DAY);
    fake.fail({ kind: 'status', status: 503 });
    sleeps.length = 0;
    await source().dailyPapers(DAY);
    expect(sleeps).toEqual([375]);
  });

  it('retries a 500 with exponential backoff and jitter', async () => {
    fake.fail({ kind: 'status', status: 500 }, { times: 2 });
    expect(await source().dailyPapers(DAY)).toHaveLength(3);
    // random() = 0.5: half the step fixed plus a quarter: 500 ms → 375, 1000 ms → 750.
    expect(sleeps).toEqual([375, 750]);
  });

  it('retries a dropped connection', async () => {
    fake.fail({ kind: 'reset' });
    expect(await source().dailyPapers(DAY)).toHaveLength(3);
    expect(sleeps).toHaveLength(1);
  });

  it('gives up after maxAttempts with a one-line error', async () => {
    fake.fail({ kind: 'status', status: 503, body: '<html>\n<body>Service\nUnavailable</body></html>', contentType: 'text/html' }, { times: 99 });
    const error = await failure(source({ maxAttempts: 3 }).dailyPapers(DAY));
    expect(error.code).toBe('http_status');
    expect(error.options.status).toBe(503);
    expect(error.message).toBe(`Hugging Face answered HTTP 503 for /api/daily_papers?date=${DAY}&limit=100&p=0 (after 3 attempts)`);
    expect(error.message).not.toMatch(/\n/);
    expect(error.userMessage).toMatch(/not answering/);
    expect(fake.dailyRequests()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up at once when the server asks for a wait beyond the budget', async () => {
    fake.fail({ kind: 'rate-limit', retryAfter: '3600' }, { times: 99 });
    const error = await failure(source({ maxRetryWaitMs: 60_000 }).dailyPapers(DAY));
    expect(error).toMatchObject({ code: 'http_status', options: { status: 429, retryAfterMs: 3_600_000 } });
    expect(error.userMessage).toMatch(/rate-limiting.*3600 s/);
    expect(sleeps).toEqual([]);
    expect(fake.dailyRequests()).toHaveLength(1);
  });

  it('stops when the total wait budget would be exceeded', async () => {
    fake.fail({ kind: 'rate-limit', retryAfter: '20' }, { times: 99 });
    await failure(source({ maxAttempts: 10, maxRetryWaitMs: 50_000 }).dailyPapers(DAY));
    expect(sleeps).toEqual([20_000, 20_000]);
  });

  it('does not retry a 4xx other than 408/429', async () => {
    fake.fail({ kind: 'status', status: 403, body: '{"error":"Forbidden"}' });
    const error = await failure(source().dailyPapers(DAY));
    expect(error).toMatchObject({ code: 'http_status', options: { status: 403 } });
    expect(fake.dailyRequests()).toHaveLength(1);
  });

  it('times out a response that never comes', async () => {
    fake.fail({ kind: 'slow', delayMs: 5_000 }, { times: 99 });
    const started = Date.now();
    const error = await failure(source({ timeoutMs: 200, maxAttempts: 1 }).dailyPapers(DAY));
    expect(error.code).toBe('http_timeout');
    expect(error.message).toBe(`Hugging Face did not answer in time for /api/daily_papers?date=${DAY}&limit=100&p=0: no complete answer within 200 ms`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that stalls half-way, then succeeds on retry', async () => {
    fake.fail({ kind: 'stall-body', delayMs: 5_000 });
    expect(await source({ timeoutMs: 200 }).dailyPapers(DAY)).toHaveLength(3);
    expect(sleeps).toHaveLength(1);
  });

  it('reports an unreachable server as http_network', async () => {
    const closed = await startFakeHfServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(source({ baseUrl: url, maxAttempts: 2 }).dailyPapers(DAY));
    expect(error.code).toBe('http_network');
    expect(error.message).toMatch(/^Could not reach Hugging Face for \/api\/daily_papers\?date=2026-05-18&limit=100&p=0: ECONNREFUSED \(after 2 attempts\)$/);
  });

  it('fails clearly on an HTML page served as 200, without retrying', async () => {
    fake.fail({ kind: 'html' });
    const error = await failure(source().dailyPapers(DAY));
    expect(error.code).toBe('http_bad_body');
    expect(error.message).toBe(`Hugging Face returned a malformed response for /api/daily_papers?date=${DAY}&limit=100&p=0: not JSON (text/html, an HTML page)`);
    expect(fake.dailyRequests()).toHaveLength(1);
  });

  it('fails clearly on truncated JSON', async () => {
    fake.fail({ kind: 'malformed-json' });
    const error = await failure(source().dailyPapers(DAY));
    expect(error.code).toBe('http_bad_body');
    expect(error.message).toMatch(/: not JSON \(application\/json\)$/);
  });

  it('fails clearly when the body is not an array', async () => {
    fake.fail({ kind: 'json', body: { error: 'Something changed' } });
    const error = await failure(source().dailyPapers(DAY));
    expect(error.message).toBe(`Hugging Face returned a malformed response for /api/daily_papers?date=${DAY}&limit=100&p=0: expected array, received object`);
  });

  it('rejects wrong types and says where', async () => {
    const bad = makeHfEntry({ id: '2605.15320', upvotes: 3 });
    bad.paper.upvotes = '12';
    fake.fail({ kind: 'json', body: [makeHfEntry({ id: '2605.15321' }), bad] });
    const error = await failure(source().dailyPapers(DAY));
    expect(error.code).toBe('http_bad_body');
    expect(error.message).toMatch(/: expected number, received string at \[1\]\.paper\.upvotes$/);
  });

  it('rejects an entry missing a required field', async () => {
    const bad = makeHfEntry({ id: '2605.15320' });
    delete (bad.paper as Record<string, unknown>).title;
    fake.fail({ kind: 'json', body: [bad] });
    const error = await failure(source().dailyPapers(DAY));
    expect(error.message).toMatch(/at \[0\]\.paper\.title$/);
  });
});

describe('auth and headers', () => {
  it('sends HF_TOKEN as a bearer token and never puts it in an error', async () => {
    fake.fail({ kind: 'status', status: 500 }, { times: 99 });
    const error = await failure(source({ token: 'hf_secretToken123', maxAttempts: 2 }).dailyPapers(DAY));
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer hf_secretToken123');
    expect(fake.requests[0]!.headers['user-agent']).toMatch(/^paperboy/);
    expect(`${error.message} ${error.userMessage} ${error.stack}`).not.toContain('hf_secretToken123');
  });

  it('sends no authorization header without a token', async () => {
    await source().dailyPapers(DAY);
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('searchPapers', () => {
  beforeEach(() => {
    fake.setDay(DAY, [
      makeHfEntry({ id: '2605.15301', title: 'Grokking in sparse transformers', upvotes: 50, numComments: 4 }),
      makeHfEntry({ id: '2605.15302', title: 'Grokking, revisited', upvotes: 20 }),
      makeHfEntry({ id: '2605.15303', title: 'Diffusion for tables', upvotes: 10 }),
    ]);
  });

  it('maps wrapped items', async () => {
    fake.setSearchShape('wrapped');
    const papers = await source().searchPapers('grokking');
    expect(papers.map((p) => p.id)).toEqual(['2605.15301', '2605.15302']);
    expect(papers[0]!.comments).toBe(4);
    expect(fake.requests[0]!.query).toEqual({ q: 'grokking', limit: '20' });
  });

  it('maps flat (unwrapped) items, and a mix', async () => {
    fake.setSearchShape('flat');
    const flat = await source().searchPapers('grokking');
    expect(flat.map((p) => [p.id, p.upvotes, p.comments, p.thumbnail])).toEqual([
      ['2605.15301', 50, 0, null],
      ['2605.15302', 20, 0, null],
    ]);
    fake.setSearchShape('mixed');
    expect((await source().searchPapers('grokking')).map((p) => p.id)).toEqual(['2605.15301', '2605.15302']);
  });

  it('cuts q to 250 characters and the limit to 120', async () => {
    const long = `grokking ${'x'.repeat(400)}`;
    await source().searchPapers(long, 500);
    expect(fake.requests[0]!.query.q).toHaveLength(250);
    expect(fake.requests[0]!.query.limit).toBe('120');
  });

  it('does not split a surrogate pair when cutting', async () => {
    await source().searchPapers(`${'a'.repeat(249)}😀`);
    expect(fake.requests[0]!.query.q).toBe('a'.repeat(249));
  });

  it('sends nothing for an empty query', async () => {
    expect(await source().searchPapers('   ')).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('searches people wait on', () => {
  it('have their own budget: a flood of them is refused at once, queues nothing and never delays sync', async () => {
    fake.setDay(DAY, makeHfDay(DAY, 3));
    // Sync paced tightly, so any request of the flood spent from its budget would make it wait (a recorded sleep).
    const hf = source({ rateLimit: { burst: 5, perSecond: 1 } });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => hf.searchPapers(`no hits ${i}`)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as PaperboyError);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(refused).toHaveLength(20);
    expect(refused.every((error) => error.code === 'budget_exhausted' && error.userMessage === 'Hugging Face is busy; try again in a minute.')).toBe(true);
    expect(fake.requests.filter((r) => r.path === '/api/papers/search')).toHaveLength(10);

    expect(await hf.dailyPapers(DAY)).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it('get one short attempt: a failing search is not retried for a minute while someone waits', async () => {
    fake.fail({ kind: 'status', status: 503 }, { path: '/api/papers/search', times: 3 });
    const hf = source();
    const error = await failure(hf.searchPapers('grokking'));
    expect(error.code).toMatch(/^http_/);
    expect(fake.requests.filter((r) => r.path === '/api/papers/search')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('getPaper', () => {
  it('reads the flat paper body', async () => {
    fake.addPapers([fixture('paper-2605.15320.json') as Record<string, unknown>]);
    const paper = await source().getPaper('2605.15320');
    expect(paper).toEqual({
      id: '2605.15320',
      title: 'Few-Shot Avatars Without Per-Subject Optimisation',
      abstract: 'A feed-forward model reconstructs animatable head avatars from a handful of photos in seconds.',
      authors: ['Rosa Delgado', 'Tomasz Nowak'],
      publishedAt: '2026-05-14',
      upvotes: 5,
      comments: 0,
      githubRepo: 'https://github.com/example/avatars',
      githubStars: 0,
      projectPage: 'https://avatars.example.org/',
      aiSummary: 'Feed-forward avatar reconstruction from few photos.',
      aiKeywords: ['avatar reconstruction', 'feed-forward'],
      organization: null,
      thumbnail: null,
    });
    expect(fake.requests[0]!.path).toBe('/api/papers/2605.15320');
  });

  it('accepts a pasted URL with a version', async () => {
    fake.addPapers([fixture('paper-2605.15320.json') as Record<string, unknown>]);
    expect((await source().getPaper('https://arxiv.org/abs/2605.15320v3'))?.id).toBe('2605.15320');
  });

  it('answers null for a 404 without retrying', async () => {
    expect(await source().getPaper('2605.99999')).toBeNull();
    expect(fake.requests.map((r) => r.status)).toEqual([404]);
    expect(sleeps).toEqual([]);
  });

  it('answers null for junk without a request', async () => {
    expect(await source().getPaper('not a paper')).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the fake itself', () => {
  it('defaults to 50 entries like the real API and records unknown routes', async () => {
    fake.setDay(DAY, makeHfDay(DAY, 70));
    const body = (await (await fetch(`${fake.url}/api/daily_papers?date=${DAY}`)).json()) as unknown[];
    expect(body).toHaveLength(50);
    const missing = await fetch(`${fake.url}/api/spaces`);
    expect(missing.status).toBe(404);
    expect(fake.unknownRoutes.map((r) => r.path)).toEqual(['/api/spaces']);
    fake.unknownRoutes.length = 0;
  });
});

describe('retry helpers', () => {
  it('parses Retry-After and RateLimit headers', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter('Mon, 18 May 2026 12:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Mon, 18 May 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRateLimitReset('"api";r=0;t=55')).toBe(55_000);
    expect(parseRateLimitReset('"api";r=12;t=3')).toBe(3_000);
    expect(parseRateLimitReset('"api";r=0')).toBeNull();
  });

  it('paces requests with a token bucket (burst, then perSecond)', async () => {
    const waits: number[] = [];
    const limiter = createRateLimiter({ burst: 2, perSecond: 1 }, () => NOW, async (ms) => void waits.push(ms));
    for (let i = 0; i < 4; i++) await limiter.take();
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('applies the default pacing to a source', async () => {
    fake.setDay(DAY, makeHfDay(DAY, 1));
    const paced = source({ rateLimit: { burst: 1, perSecond: 2 } });
    await paced.dailyPapers(DAY);
    await paced.dailyPapers(DAY);
    expect(sleeps).toEqual([500]);
  });
});
