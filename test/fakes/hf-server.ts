/**
 * A loopback fake of the Hugging Face papers API: `/api/daily_papers` (date, limit default 50 capped at 100,
 * 0-based `p`, `sort=trending`), `/api/papers/search` (q ≤ 250, limit ≤ 120, wrapped or flat items) and
 * `/api/papers/{id}` (flat; 404 when unknown), `/api/models` and `/api/datasets` (`filter=arxiv:<id>` matches the
 * repositories whose tags cite the paper; `limit` 1–1000). It records every request; unknown routes are answered 404 and
 * listed in `unknownRoutes` so a test can assert there were none. Failures are scripted with `fail()`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback.js';

export type HfEntry = Record<string, unknown> & { paper: Record<string, unknown> & { id: string; title: string } };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  status: number;
}

/** What a scripted failure answers instead of the real thing. */
export type HfFailure =
  | { kind: 'rate-limit'; retryAfter?: string; rateLimit?: string }
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html' }
  | { kind: 'malformed-json' }
  | { kind: 'json'; body: unknown }
  /** Holds the whole response back (past a client's timeout), then answers normally. */
  | { kind: 'slow'; delayMs: number }
  /** Sends headers and part of the body, then stalls. */
  | { kind: 'stall-body'; delayMs: number }
  /** Drops the connection without an answer. */
  | { kind: 'reset' };

export interface FailOptions {
  /** How many matching requests fail (default: 1 without `day`, every one with `day`). */
  times?: number;
  /** Only `/api/daily_papers?date=<day>`. */
  day?: string;
  /** Only that `p` page of daily papers. */
  page?: number;
  /** Only requests whose path starts with this. */
  path?: string;
}

export interface FakeHfServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly unknownRoutes: RecordedRequest[];
  /** Daily-papers requests only, in arrival order. */
  dailyRequests(): RecordedRequest[];
  /** Replaces a day's listing (served in the order given, as HF serves upvote order). */
  setDay(day: string, entries: unknown[]): void;
  /** Order for `sort=trending` on that day (ids); default: the listing order. */
  setTrending(day: string, ids: string[]): void;
  /** Papers known to `/api/papers/{id}` and search beyond the listed ones (flat paper objects). */
  addPapers(papers: Record<string, unknown>[]): void;
  /** How `/api/papers/search` items look (default 'wrapped'); 'mixed' alternates. */
  setSearchShape(shape: 'wrapped' | 'flat' | 'mixed'): void;
  /** Models or datasets on the Hub, each citing the given arXiv ids (as `arxiv:<id>` tags, as HF does). */
  addRepos(kind: 'models' | 'datasets', repos: { id: string; arxiv: string[] }[]): void;
  fail(failure: HfFailure, options?: FailOptions): void;
  clearFailures(): void;
  close(): Promise<void>;
}

interface Script {
  failure: HfFailure;
  remaining: number;
  day?: string;
  page?: number;
  path?: string;
}

export async function startFakeHfServer(init: { days?: Record<string, unknown[]>; papers?: Record<string, unknown>[] } = {}): Promise<FakeHfServer> {
  const days = new Map<string, HfEntry[]>();
  const trending = new Map<string, string[]>();
  const extraPapers = new Map<string, Record<string, unknown>>();
  const requests: RecordedRequest[] = [];
  const unknownRoutes: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let scripts: Script[] = [];
  let searchShape: 'wrapped' | 'flat' | 'mixed' = 'wrapped';
  const repos = { models: new Map<string, Record<string, unknown>>(), datasets: new Map<string, Record<string, unknown>>() };

  for (const [day, entries] of Object.entries(init.days ?? {})) days.set(day, entries as HfEntry[]);
  for (const paper of init.papers ?? []) extraPapers.set(String(paper.id), paper);

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  function takeFailure(path: string, query: Record<string, string>): HfFailure | null {
    const index = scripts.findIndex(
      (s) =>
        s.remaining > 0 &&
        (s.path === undefined || path.startsWith(s.path)) &&
        (s.day === undefined || (path === '/api/daily_papers' && query.date === s.day)) &&
        (s.page === undefined || (path === '/api/daily_papers' && Number(query.p ?? 0) === s.page)),
    );
    if (index < 0) return null;
    const script = scripts[index]!;
    script.remaining--;
    return script.failure;
  }

  function allPapers(): Map<string, { entry: HfEntry | null; paper: Record<string, unknown> }> {
    const map = new Map<string, { entry: HfEntry | null; paper: Record<string, unknown> }>();
    for (const paper of extraPapers.values()) map.set(String(paper.id), { entry: null, paper });
    for (const entries of days.values()) for (const entry of entries) map.set(entry.paper.id, { entry, paper: entry.paper });
    return map;
  }

  function route(path: string, query: Record<string, string>): { status: number; body: unknown } | null {
    if (path === '/api/daily_papers') {
      if (query.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(query.date)) return { status: 400, body: { error: 'Invalid date' } };
      const day = query.date ?? [...days.keys()].sort().at(-1) ?? '';
      const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
      const page = Math.max(0, Number(query.p ?? 0) || 0);
      let entries = days.get(day) ?? [];
      const order = trending.get(day);
      if (query.sort === 'trending' && order) entries = order.map((id) => entries.find((e) => e.paper.id === id)).filter((e): e is HfEntry => e !== undefined);
      return { status: 200, body: entries.slice(page * limit, (page + 1) * limit) };
    }
    if (path === '/api/papers/search') {
      const q = query.q ?? '';
      if (!q) return { status: 400, body: { error: 'q is required' } };
      if (q.length > 250) return { status: 400, body: { error: 'q is too long' } };
      const limit = Number(query.limit ?? 20);
      if (!(limit >= 1 && limit <= 120)) return { status: 400, body: { error: 'limit must be between 1 and 120' } };
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      const hits = [...allPapers().values()].filter(({ paper }) => {
        const text = `${String(paper.title)} ${String(paper.summary ?? '')}`.toLowerCase();
        return words.every((w) => text.includes(w));
      });
      const items = hits.slice(0, limit).map(({ entry, paper }, i) => {
        const wrapped = searchShape === 'wrapped' || (searchShape === 'mixed' && i % 2 === 0);
        return wrapped ? (entry ?? { paper, title: paper.title, numComments: 0 }) : paper;
      });
      return { status: 200, body: items };
    }
    if (path === '/api/models' || path === '/api/datasets') {
      const limit = Number(query.limit ?? 1000);
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) return { status: 400, body: { error: 'limit must be between 1 and 1000' } };
      const listed = [...repos[path === '/api/models' ? 'models' : 'datasets'].values()];
      const filter = query.filter;
      const hits = filter ? listed.filter((repo) => (repo.tags as string[]).includes(filter)) : listed;
      return { status: 200, body: hits.slice(0, limit) };
    }
    const detail = /^\/api\/papers\/(.+)$/.exec(path);
    if (detail) {
      const found = allPapers().get(decodeURIComponent(detail[1]!));
      return found ? { status: 200, body: found.paper } : { status: 404, body: { error: 'Paper not found' } };
    }
    return null;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, status: 0 };
      requests.push(record);
      const answered = req.method === 'GET' ? route(url.pathname, query) : null;
      if (!answered) {
        record.status = 404;
        unknownRoutes.push(record);
        return sendJson(res, 404, { error: 'Not Found' });
      }
      const failure = takeFailure(url.pathname, query);
      if (failure) return answerFailure(res, record, failure, answered);
      record.status = answered.status;
      sendJson(res, answered.status, answered.body);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
    });
  });

  async function answerFailure(res: ServerResponse, record: RecordedRequest, failure: HfFailure, answered: { status: number; body: unknown }): Promise<void> {
    switch (failure.kind) {
      case 'rate-limit': {
        record.status = 429;
        const headers: Record<string, string> = {};
        if (failure.retryAfter !== undefined) headers['retry-after'] = failure.retryAfter;
        if (failure.rateLimit !== undefined) {
          headers.ratelimit = failure.rateLimit;
          headers['ratelimit-policy'] = '"fixed window";"api";q=500;w=300';
        }
        return sendJson(res, 429, { error: 'You have exceeded our rate limit' }, headers);
      }
      case 'status':
        record.status = failure.status;
        res.writeHead(failure.status, { 'content-type': failure.contentType ?? 'application/json' });
        res.end(failure.body ?? JSON.stringify({ error: 'Internal Error' }));
        return;
      case 'html':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html>\n<html><head><title>Hugging Face – Maintenance</title></head><body><h1>We will be back soon</h1></body></html>');
        return;
      case 'malformed-json':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end('[{"paper":{"id":"2605.15320","title":"Trunc');
        return;
      case 'json':
        record.status = 200;
        return sendJson(res, 200, failure.body);
      case 'slow':
        await wait(failure.delayMs);
        record.status = answered.status;
        if (!res.destroyed) sendJson(res, answered.status, answered.body);
        return;
      case 'stall-body':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.write('[');
        await wait(failure.delayMs);
        if (!res.destroyed) res.end(']');
        return;
      case 'reset':
        record.status = 0;
        res.socket?.destroy();
        return;
    }
  }

  const listening = await listenOnLoopback(server);

  return {
    url: listening.url,
    requests,
    unknownRoutes,
    dailyRequests: () => requests.filter((r) => r.path === '/api/daily_papers'),
    setDay: (day, entries) => void days.set(day, entries as HfEntry[]),
    setTrending: (day, ids) => void trending.set(day, ids),
    addPapers: (papers) => papers.forEach((paper) => extraPapers.set(String(paper.id), paper)),
    setSearchShape: (shape) => void (searchShape = shape),
    addRepos(kind, list) {
      for (const repo of list) repos[kind].set(repo.id, kind === 'models' ? makeHfModel(repo.id, repo.arxiv) : makeHfDataset(repo.id, repo.arxiv));
    },
    fail(failure, options = {}) {
      const remaining = options.times ?? (options.day !== undefined || options.page !== undefined ? Number.POSITIVE_INFINITY : 1);
      scripts.push({ failure, remaining, ...pick(options) });
    },
    clearFailures: () => void (scripts = []),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await listening.close();
    },
  };
}

/** A `/api/models` item in HF's list shape (2026). */
function makeHfModel(id: string, arxiv: string[]): Record<string, unknown> {
  const tags = ['transformers', 'safetensors', 'text-generation', ...arxiv.map((paper) => `arxiv:${paper}`), 'license:apache-2.0', 'region:us'];
  return { _id: fakeObjectId(), id, likes: 3, private: false, downloads: 120, tags, pipeline_tag: 'text-generation', library_name: 'transformers', createdAt: '2026-05-20T10:00:00.000Z', modelId: id };
}

/** A `/api/datasets` item in HF's list shape (2026). */
function makeHfDataset(id: string, arxiv: string[]): Record<string, unknown> {
  const tags = ['task_categories:text-generation', 'language:en', 'size_categories:1K<n<10K', ...arxiv.map((paper) => `arxiv:${paper}`), 'region:us'];
  return { _id: fakeObjectId(), id, author: id.split('/')[0], sha: 'a3f1c9e2b7d84f0e9c1b2a3d4e5f60718293a4b5', lastModified: '2026-05-21T08:00:00.000Z', private: false, gated: false, disabled: false, likes: 1, downloads: 40, tags, createdAt: '2026-05-21T08:00:00.000Z', key: '' };
}

function pick({ day, page, path }: FailOptions): Omit<Script, 'failure' | 'remaining'> {
  return { ...(day !== undefined ? { day } : {}), ...(page !== undefined ? { page } : {}), ...(path !== undefined ? { path } : {}) };
}

// ---------------------------------------------------------------------------------------------------------
// Builders for entries in the exact real schema (newest form, 2026): nested `paper`, author objects with
// `_id`/`name`/`hidden`, `numComments`, `thumbnail`, `submittedBy`, … Optional fields appear only when given.

export interface HfEntryInput {
  id: string;
  title?: string;
  summary?: string;
  upvotes?: number;
  numComments?: number;
  /** Strings are visible authors; objects may be hidden. */
  authors?: (string | { name: string; hidden?: boolean })[];
  /** arXiv date, YYYY-MM-DD. */
  publishedAt?: string;
  /** Daily Papers bucket, YYYY-MM-DD. */
  day?: string;
  projectPage?: string;
  githubRepo?: string;
  githubStars?: number;
  aiSummary?: string;
  aiKeywords?: string[];
  organization?: { name: string; fullname?: string };
  /** null leaves the field out (as in 13 real entries). */
  thumbnail?: string | null;
  /** Merged into the top level (e.g. fields HF may add later). */
  extra?: Record<string, unknown>;
  /** Merged into `paper`. */
  paperExtra?: Record<string, unknown>;
}

let objectIdCounter = 0;
/** 24-hex Mongo-style ids like HF's `_id`s, deterministic per process. */
export function fakeObjectId(): string {
  objectIdCounter++;
  return `6a0a${objectIdCounter.toString(16).padStart(20, '0')}`;
}

const SUBMITTER = { _id: '6039478ab3ecf716b1a5fd4d', avatarUrl: 'https://cdn-avatars.huggingface.co/v1/production/uploads/6039478ab3ecf716b1a5fd4d/x.jpeg', isPro: true, fullname: 'taesiri', user: 'taesiri', type: 'user', name: 'taesiri' };

export function makeHfEntry(input: HfEntryInput): HfEntry {
  const day = input.day ?? '2026-05-18';
  const published = input.publishedAt ?? '2026-05-14';
  const title = input.title ?? `Paper ${input.id}`;
  const summary = input.summary ?? `We study ${title.toLowerCase()} and report results.`;
  const organization = input.organization ? { _id: fakeObjectId(), name: input.organization.name, fullname: input.organization.fullname ?? input.organization.name, avatar: 'https://cdn-avatars.huggingface.co/v1/production/uploads/org.png' } : undefined;
  const paper = defined({
    id: input.id,
    authors: (input.authors ?? ['Ada Lovelace', 'Alan Turing']).map((a) => {
      const author = typeof a === 'string' ? { name: a, hidden: false } : { name: a.name, hidden: a.hidden ?? false };
      return { _id: fakeObjectId(), name: author.name, hidden: author.hidden };
    }),
    publishedAt: `${published}T00:00:00.000Z`,
    submittedOnDailyAt: `${day}T00:00:00.000Z`,
    title,
    submittedOnDailyBy: SUBMITTER,
    summary,
    upvotes: input.upvotes ?? 0,
    discussionId: fakeObjectId(),
    projectPage: input.projectPage,
    githubRepo: input.githubRepo,
    githubRepoAddedBy: input.githubRepo ? 'user' : undefined,
    ai_summary: input.aiSummary,
    ai_keywords: input.aiKeywords,
    githubStars: input.githubStars,
    organization,
    ...input.paperExtra,
  }) as HfEntry['paper'];
  return defined({
    paper,
    publishedAt: `${addDaysIso(published, -1)}T20:00:00.000Z`,
    title,
    summary,
    thumbnail: input.thumbnail === null ? undefined : (input.thumbnail ?? `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${input.id}.png`),
    numComments: input.numComments ?? 0,
    submittedBy: { _id: SUBMITTER._id, avatarUrl: SUBMITTER.avatarUrl, fullname: SUBMITTER.fullname, name: SUBMITTER.name, type: 'user', isPro: true, isHf: false, isHfAdmin: false, isMod: false, followerCount: 12, isUserFollowing: false },
    organization,
    isAuthorParticipating: false,
    ...input.extra,
  }) as HfEntry;
}

/** `count` entries for `day`, ids `YYMM.1NNNN`, in HF's order (upvotes descending). */
export function makeHfDay(day: string, count: number, start = 0): HfEntry[] {
  const yymm = `${day.slice(2, 4)}${day.slice(5, 7)}`;
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return makeHfEntry({ id: `${yymm}.${String(10000 + n + Number(day.slice(8, 10)) * 1000).padStart(5, '0')}`, title: `Paper ${n} of ${day}`, upvotes: 1000 - n, day });
  });
}

function defined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function addDaysIso(day: string, delta: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}
