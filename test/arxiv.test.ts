import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { isHttpError } from '../src/http/http-error.js';
import { arxivEntryToPaper, arxivErrorMessage, parseArxivFeed } from '../src/papers/arxiv-atom.js';
import { createArxivSource, type ArxivPage, type ArxivSource } from '../src/papers/arxiv.js';
import { makePaper } from './support/papers.js';
import { makeArxivListing, startFakeArxivServer, type FakeArxivServer } from './fakes/arxiv-server.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/arxiv/${name}`, import.meta.url), 'utf8');

describe('arXiv Atom feed', () => {
  it('reads entries: canonical ids without versions (old-style too), entities, folded whitespace, authors, categories', () => {
    const feed = parseArxivFeed(fixture('query-2026.xml'));
    expect(feed.totalResults).toBe(5120);
    expect(feed.skipped).toEqual([]);
    expect(feed.entries.map((e) => [e.id, e.version, e.published, e.primaryCategory, e.categories])).toEqual([
      ['2605.18877', 2, '2026-05-18T13:02:44.000Z', 'cs.CL', ['cs.CL', 'cs.LG']],
      ['2605.18001', 1, '2026-05-18T09:15:00.000Z', 'cs.LG', ['cs.LG']],
      ['hep-th/9901001', 3, '1999-01-04T18:30:00.000Z', 'hep-th', ['hep-th', 'hep-lat']],
    ]);
    const [first, second] = feed.entries;
    expect(first!.abstract).toBe('We confine attention & memory to a torus of 2^{16} tokens; perplexity drops when N<10^6 > baseline.');
    expect(first!.authors).toEqual(['Grace Hopper', 'Edsger Dijkstra']);
    expect(second!.abstract).toBe('Delayed generalisation in sparse mixture-of-experts models.');
    // None of HF's fields: no upvotes, code, AI summary or thumbnail.
    const title = 'Tokamak-Style Confinement for Long-Context Language Models';
    expect(arxivEntryToPaper(first!)).toEqual(makePaper({ id: '2605.18877', title, abstract: first!.abstract, authors: ['Grace Hopper', 'Edsger Dijkstra'], publishedAt: '2026-05-18', upvotes: 0 }));
  });

  it('reads the legacy form: hard-wrapped title and abstract, per-element namespaces, typed title', () => {
    const feed = parseArxivFeed(fixture('legacy-wrapped.xml'));
    expect(feed.totalResults).toBe(1);
    const [entry] = feed.entries;
    expect(entry!.id).toBe('cond-mat/0512345');
    expect(entry!.title).toBe('Charge order on the kagome lattice: a renormalisation group study with quenched disorder');
    expect(entry!.abstract).toBe('We study charge order on the kagome lattice with a renormalisation group that keeps quenched disorder. Domains of the ordered phase shrink as disorder grows.');
    expect(entry!.primaryCategory).toBe('cond-mat.str-el');
    expect(entry!.authors).toEqual(['Lise Meitner', 'Emmy Noether']);
  });

  it('reads an empty feed as no entries', () => {
    expect(parseArxivFeed(fixture('empty.xml'))).toEqual({ totalResults: 0, startIndex: 400, entries: [], skipped: [] });
  });

  it("turns arXiv's error feed into its message, and refuses bodies that are not Atom", () => {
    expect(arxivErrorMessage(fixture('error-400.xml'))).toBe('max_results must be an integer');
    expect(arxivErrorMessage(fixture('query-2026.xml'))).toBeNull();
    expect(() => parseArxivFeed(fixture('error-400.xml'))).toThrow('arXiv refused the query: max_results must be an integer');
    expect(() => parseArxivFeed('<!DOCTYPE html><html><body>Maintenance</body></html>')).toThrow('not an Atom feed');
    expect(() => parseArxivFeed('')).toThrow('empty body');
    expect(() => parseArxivFeed('<feed xmlns="http://www.w3.org/2005/Atom"><opensearch:totalResults>many</opensearch:totalResults></feed>')).toThrow(/not an Atom feed \(not a count/);
  });

  it('skips unreadable entries with the reason and keeps the rest', () => {
    const feed = parseArxivFeed(fixture('unreadable-entries.xml'));
    expect(feed.entries.map((e) => e.id)).toEqual(['2605.17778']);
    expect(feed.skipped).toEqual([
      { id: 'http://arxiv.org/abs/not-an-id', reason: 'not an arXiv id' },
      { id: 'http://arxiv.org/abs/2605.17777v1', reason: expect.stringContaining('published') },
    ]);
  });
});

describe('arXiv client against the fake API', () => {
  let fake: FakeArxivServer;
  let source: ArxivSource | null = null;
  const INTERVAL = 150;

  afterEach(async () => {
    await source?.close();
    source = null;
    expect(fake.violations).toEqual([]);
    expect(fake.unknownRoutes).toEqual([]);
    await fake.close();
  });

  async function collect(since: string): Promise<ArxivPage[]> {
    const pages: ArxivPage[] = [];
    for await (const page of source!.submissionsSince(new Date(since))) pages.push(page);
    return pages;
  }

  it('pages newest first until an entry is older than the window, one request at a time, spaced by the interval', async () => {
    // 25 cs.CL papers every 30 min back from 12:00, and math.AG ones the query leaves out.
    fake = await startFakeArxivServer({ intervalMs: INTERVAL, delayMs: 40, entries: [...makeArxivListing(25, '2026-05-19T12:00:00Z', { category: 'cs.CL' }), ...makeArxivListing(5, '2026-05-19T11:59:00Z', { category: 'math.AG', first: 100 })] });
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.CL', 'cs.LG'], intervalMs: INTERVAL, pageSize: 10 });
    // Since 04:15: 12:00 … 04:30 is 16 papers; the second page's older half and a third page never asked.
    const pages = await collect('2026-05-19T04:15:00Z');
    expect(pages.map((p) => [p.start, p.entries.length, p.status])).toEqual([
      [0, 10, 'more'],
      [10, 6, 'complete'],
    ]);
    expect(pages.flatMap((p) => p.papers.map((paper) => paper.id))).toEqual(makeArxivListing(16, '2026-05-19T12:00:00Z').map((e) => e.id));
    expect(fake.requests.map((r) => r.query)).toEqual([
      { search_query: 'cat:cs.CL OR cat:cs.LG', sortBy: 'submittedDate', sortOrder: 'descending', start: '0', max_results: '10' },
      { search_query: 'cat:cs.CL OR cat:cs.LG', sortBy: 'submittedDate', sortOrder: 'descending', start: '10', max_results: '10' },
    ]);
    const [first, second] = fake.requests;
    expect(second!.arrivedAt - first!.answeredAt!).toBeGreaterThanOrEqual(INTERVAL - 5);
  });

  it('stops at the end of the listing, at the page limit, and on a short page before the end', async () => {
    fake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: makeArxivListing(25, '2026-05-19T12:00:00Z') });
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.LG'], intervalMs: INTERVAL, pageSize: 10, maxPages: 2 });
    expect((await collect('2026-01-01T00:00:00Z')).map((p) => [p.entries.length, p.status])).toEqual([
      [10, 'more'],
      [10, 'capped'],
    ]);
    await source.close();
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.LG'], intervalMs: INTERVAL, pageSize: 10 });
    await new Promise((resolve) => setTimeout(resolve, INTERVAL));
    expect((await collect('2026-01-01T00:00:00Z')).map((p) => [p.entries.length, p.status])).toEqual([
      [10, 'more'],
      [10, 'more'],
      [5, 'complete'],
    ]);
    await source.close();
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.LG'], intervalMs: INTERVAL, pageSize: 10 });
    await new Promise((resolve) => setTimeout(resolve, INTERVAL));
    fake.fail({ kind: 'short-page', entries: 0 });
    expect((await collect('2026-01-01T00:00:00Z')).map((p) => [p.entries.length, p.status])).toEqual([[0, 'cut-short']]);
  });

  it("reports arXiv's 400 error entry in one line, without retrying", async () => {
    fake = await startFakeArxivServer({ intervalMs: INTERVAL });
    // A category the fake's query grammar cannot read stands in for any query arXiv refuses.
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.CL)'], intervalMs: INTERVAL });
    const error = await collect('2026-05-19T00:00:00Z').catch((e: unknown) => e);
    expect(isHttpError(error, 'http_status')).toBe(true);
    expect((error as Error).message).toMatch(/^arXiv answered HTTP 400 for \/api\/query\?\S+: malformed search_query: cat:cs\.CL\)$/);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 503 and a dropped connection, still one request per interval', async () => {
    fake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: makeArxivListing(3, '2026-05-19T12:00:00Z') });
    fake.fail({ kind: 'status', status: 503 });
    fake.fail({ kind: 'reset' });
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.LG'], intervalMs: INTERVAL });
    const pages = await collect('2026-05-19T00:00:00Z');
    expect(pages.map((p) => [p.entries.length, p.status])).toEqual([[3, 'complete']]);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 0, 200]);
  });

  it('a client paced faster than arXiv allows is caught by the fake', async () => {
    fake = await startFakeArxivServer({ intervalMs: INTERVAL, entries: makeArxivListing(15, '2026-05-19T12:00:00Z') });
    source = createArxivSource({ baseUrl: fake.url, categories: ['cs.LG'], intervalMs: 5, pageSize: 10 });
    await collect('2026-01-01T00:00:00Z');
    expect(fake.violations[0]).toMatch(/^request 2 came \d+ ms after the previous one \(< 150 ms\)$/);
    fake.violations.length = 0;
  });

  it('the fake refuses overlapping and too-early requests (so the tests above can fail)', async () => {
    fake = await startFakeArxivServer({ intervalMs: 1_000, delayMs: 50, entries: makeArxivListing(1, '2026-05-19T12:00:00Z') });
    const url = `${fake.url}/api/query?search_query=cat:cs.LG&sortBy=submittedDate&sortOrder=descending&start=0&max_results=5`;
    const answers = await Promise.all([request(url), request(url)]);
    const statuses = await Promise.all(answers.map(async (a) => (await a.body.text(), a.statusCode)));
    expect(statuses).toEqual([200, 503]);
    expect(fake.violations).toEqual(['request 2 overlapped another']);
    fake.violations.length = 0;
  });
});
