/**
 * A loopback fake of arXiv's API, `GET /api/query` with `search_query` of `cat:` terms joined by OR,
 * `sortBy=submittedDate&sortOrder=descending`, `start` and `max_results`, answering Atom in arXiv's 2026 form
 * (see test/fixtures/arxiv/query-2026.xml). A malformed query gets HTTP 400 and arXiv's `Error` entry.
 *
 * It enforces arXiv's terms of use: a request that arrives while another is being answered, or sooner than
 * `intervalMs` after the previous request, is answered 503 and recorded in `violations`; a test asserts there were
 * none. Failures are scripted with `fail()`.
 */
import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback.js';

export interface FakeArxivEntryInput {
  /** Canonical id, e.g. `2605.18877` or `hep-th/9901001`. */
  id: string;
  version?: number;
  title?: string;
  summary?: string;
  authors?: string[];
  /** First is the primary category. */
  categories?: string[];
  /** ISO instant of version 1's submission. */
  published: string;
}

export interface ArxivRequest {
  path: string;
  query: Record<string, string>;
  /** Arrival time (ms since epoch) and when the answer was finished. */
  arrivedAt: number;
  answeredAt: number | null;
  status: number;
}

export type ArxivFailure = { kind: 'status'; status: number } | { kind: 'reset' } | { kind: 'short-page'; entries: number };

export interface FakeArxivServer {
  readonly url: string;
  readonly requests: ArxivRequest[];
  readonly unknownRoutes: ArxivRequest[];
  /** Requests that broke arXiv's pacing (overlapping, or too soon after the previous request), described. */
  readonly violations: string[];
  setEntries(entries: FakeArxivEntryInput[]): void;
  fail(failure: ArxivFailure, times?: number): void;
  close(): Promise<void>;
}

const CATEGORY_TERM = /^cat:([a-z-]+(?:\.[A-Za-z-]+)?)$/;

export async function startFakeArxivServer(init: { entries?: FakeArxivEntryInput[]; intervalMs?: number; delayMs?: number } = {}): Promise<FakeArxivServer> {
  const intervalMs = init.intervalMs ?? 3_000;
  let entries = [...(init.entries ?? [])];
  const requests: ArxivRequest[] = [];
  const unknownRoutes: ArxivRequest[] = [];
  const violations: string[] = [];
  let scripts: { failure: ArxivFailure; remaining: number }[] = [];
  let inFlight = 0;
  let lastArrivedAt = Number.NEGATIVE_INFINITY;

  function send(res: ServerResponse, record: ArxivRequest, status: number, body: string): void {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/atom+xml; charset=utf-8' });
    res.end(body, () => {
      record.answeredAt = Date.now();
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const record: ArxivRequest = { path: url.pathname, query, arrivedAt: Date.now(), answeredAt: null, status: 0 };
    requests.push(record);
    const overlapping = inFlight > 0;
    const gap = record.arrivedAt - lastArrivedAt;
    lastArrivedAt = record.arrivedAt;
    inFlight++;
    res.on('close', () => inFlight--);
    if (overlapping || gap < intervalMs) {
      violations.push(overlapping ? `request ${requests.length} overlapped another` : `request ${requests.length} came ${gap} ms after the previous one (< ${intervalMs} ms)`);
      return send(res, record, 503, errorFeed('rate_exceeded', 'Rate exceeded.'));
    }
    if (req.method !== 'GET' || url.pathname !== '/api/query') {
      unknownRoutes.push(record);
      return send(res, record, 404, errorFeed('not_found', 'Not found'));
    }
    const answer = () => {
      const script = scripts.find((s) => s.remaining > 0);
      if (script) script.remaining--;
      const failure = script?.failure;
      if (failure?.kind === 'reset') {
        record.status = 0;
        res.socket?.destroy();
        return;
      }
      if (failure?.kind === 'status') return send(res, record, failure.status, failure.status >= 500 ? '<html><body>Service Unavailable</body></html>' : errorFeed('scripted', 'scripted failure'));
      const result = route(query, entries);
      if ('error' in result) return send(res, record, 400, errorFeed(result.error.replace(/\W+/g, '_'), result.error));
      const page = failure?.kind === 'short-page' ? result.page.slice(0, failure.entries) : result.page;
      send(res, record, 200, atomFeed(query, result.total, result.start, page));
    };
    if (init.delayMs) setTimeout(answer, init.delayMs);
    else answer();
  });

  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    requests,
    unknownRoutes,
    violations,
    setEntries: (next) => void (entries = [...next]),
    fail: (failure, times = 1) => void scripts.push({ failure, remaining: times }),
    async close() {
      scripts = [];
      await listening.close();
    },
  };
}

function route(query: Record<string, string>, entries: FakeArxivEntryInput[]): { page: FakeArxivEntryInput[]; total: number; start: number } | { error: string } {
  const terms = (query.search_query ?? '').split(' OR ').map((term) => CATEGORY_TERM.exec(term.trim())?.[1]);
  if (terms.length === 0 || terms.some((term) => term === undefined)) return { error: `malformed search_query: ${query.search_query ?? ''}` };
  if (query.sortBy !== 'submittedDate' || query.sortOrder !== 'descending') return { error: 'this fake serves sortBy=submittedDate&sortOrder=descending only' };
  for (const name of ['start', 'max_results'] as const) if (!/^\d+$/.test(query[name] ?? '')) return { error: `${name} must be an integer` };
  const start = Number(query.start);
  const max = Number(query.max_results);
  if (max > 2000) return { error: 'max_results must be at most 2000' };
  const wanted = new Set(terms as string[]);
  const matching = entries.filter((entry) => (entry.categories ?? ['cs.LG']).some((category) => wanted.has(category))).sort((a, b) => b.published.localeCompare(a.published));
  return { page: matching.slice(start, start + max), total: matching.length, start };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const FEED_OPEN = `<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">`;

export function atomFeed(query: Record<string, string>, total: number, start: number, entries: FakeArxivEntryInput[]): string {
  const echoed = `search_query=${query.search_query ?? ''}&id_list=&start=${start}&max_results=${query.max_results ?? ''}`;
  return [
    FEED_OPEN,
    `  <id>https://arxiv.org/api/fakeQuery${start}</id>`,
    `  <title>arXiv Query: ${escapeXml(echoed)}</title>`,
    `  <updated>${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}</updated>`,
    `  <link href="https://arxiv.org/api/query?${escapeXml(echoed)}" type="application/atom+xml"/>`,
    `  <opensearch:itemsPerPage>${query.max_results ?? entries.length}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${total}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${start}</opensearch:startIndex>`,
    ...entries.map(atomEntry),
    '</feed>',
  ].join('\n');
}

function atomEntry(entry: FakeArxivEntryInput): string {
  const versioned = `${entry.id}v${entry.version ?? 1}`;
  const published = entry.published.replace(/\.\d+Z$/, 'Z');
  const categories = entry.categories ?? ['cs.LG'];
  return [
    '  <entry>',
    `    <id>http://arxiv.org/abs/${versioned}</id>`,
    `    <title>${escapeXml(entry.title ?? `Paper ${entry.id}`)}</title>`,
    `    <updated>${published}</updated>`,
    `    <link href="https://arxiv.org/abs/${versioned}" rel="alternate" type="text/html"/>`,
    `    <link href="https://arxiv.org/pdf/${versioned}" rel="related" type="application/pdf" title="pdf"/>`,
    `    <summary>${escapeXml(entry.summary ?? `We study ${entry.id}.`)}</summary>`,
    ...categories.map((term) => `    <category term="${escapeXml(term)}" scheme="http://arxiv.org/schemas/atom"/>`),
    `    <published>${published}</published>`,
    `    <arxiv:primary_category term="${escapeXml(categories[0]!)}"/>`,
    ...(entry.authors ?? ['Ada Lovelace']).map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`),
    '  </entry>',
  ].join('\n');
}

/** arXiv's error feed: one entry titled `Error` under /api/errors (HTTP 400 for a malformed query). */
export function errorFeed(slug: string, message: string): string {
  const id = `https://arxiv.org/api/errors#${slug}`;
  return [
    FEED_OPEN,
    '  <id>https://arxiv.org/</id>',
    '  <title>arXiv Search Results</title>',
    `  <updated>${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}</updated>`,
    '  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>',
    '  <opensearch:totalResults>1</opensearch:totalResults>',
    '  <opensearch:startIndex>0</opensearch:startIndex>',
    '  <entry>',
    `    <id>${escapeXml(id)}</id>`,
    '    <title>Error</title>',
    `    <link href="${escapeXml(id)}" rel="alternate" type="text/html"/>`,
    `    <summary>${escapeXml(message)}</summary>`,
    '    <author>\n      <name>arXiv api core</name>\n    </author>',
    '  </entry>',
    '</feed>',
  ].join('\n');
}

/** `count` submissions in `category`, one every `stepMinutes` back from `newest`, ids `2605.2NNNN`. */
export function makeArxivListing(count: number, newest: string, options: { category?: string; stepMinutes?: number; first?: number } = {}): FakeArxivEntryInput[] {
  const step = (options.stepMinutes ?? 30) * 60_000;
  return Array.from({ length: count }, (_, i) => ({
    id: `2605.${String(20000 + (options.first ?? 0) + i)}`,
    title: `Listed paper ${(options.first ?? 0) + i}`,
    categories: [options.category ?? 'cs.LG'],
    published: new Date(Date.parse(newest) - i * step).toISOString(),
  }));
}
