import { UsageError } from '../errors.js';
import { createJsonClient, type JsonClient, type JsonClientOptions, type RetryEvent } from '../http/json-client.js';
import { createNonQueueingLimiter, createRateLimiter, type RateLimitOptions } from '../http/rate-limiter.js';
import { realSleep, type Sleep } from '../http/sleep.js';
import { silentLogger, type Logger } from '../logger.js';
import { systemClock, isIsoDay, type Clock } from '../time.js';
import { canonicalArxivId } from './arxiv-id.js';
import { hfDailyListSchema, hfEntryToPaper, hfPaperSchema, hfPaperToPaper, hfRepoListSchema, hfSearchResultsSchema, type HfDailyEntry } from './hf-schema.js';
import type { DailyListing, Paper } from './paper.js';
import type { ArtifactSource, PaperSource } from './source.js';

export type { ArtifactSource, PaperSource };

/** The Hugging Face papers API as a PaperSource; `close()` releases its connection pool. */
export interface HuggingFaceSource extends PaperSource, ArtifactSource {
  close(): Promise<void>;
}

/** Cited-by lists asked per paper: enough to see what is new, and HF's page size. */
const ARTIFACTS_LIMIT = 100;

export interface HuggingFaceSourceOptions {
  /** `HF_API_URL`, e.g. https://huggingface.co */
  baseUrl: string;
  /** `HF_TOKEN`, sent as a bearer token. */
  token?: string | undefined;
  connectTimeoutMs?: number;
  /** Per attempt, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request (default 4). */
  maxAttempts?: number;
  /** Most time one request may spend waiting between retries (default 60 s). */
  maxRetryWaitMs?: number;
  sleep?: Sleep;
  clock?: Clock;
  random?: () => number;
  userAgent?: string;
  /** Request pacing; defaults keep well under HF's 500 (1,000 with a token) requests per 5 minutes. */
  rateLimit?: RateLimitOptions | false;
  /**
   * Searches and paper lookups people wait on: their own budget (default a burst of 10, then one per 5 s), never
   * queued behind sync nor sync behind them, one short attempt each (default 5 s).
   */
  interactive?: { rateLimit?: RateLimitOptions; timeoutMs?: number };
  /** Entries asked per daily page (HF's default is 50; 100 by default here). */
  pageSize?: number;
  /** Safety stop for a server that ignores `p` (default 20 pages). */
  maxPages?: number;
  logger?: Logger;
}

export const HF_SEARCH_MAX_QUERY = 250;
export const HF_SEARCH_MAX_LIMIT = 120;

export function createHuggingFaceSource(options: HuggingFaceSourceOptions): HuggingFaceSource {
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 20;
  // 60 + 300 × 1 = 360 requests in any 5 minutes anonymously; 120 + 300 × 2 = 720 of 1,000 with a token.
  const pacing = options.rateLimit ?? (options.token ? { burst: 120, perSecond: 2 } : { burst: 60, perSecond: 1 });
  const shared: JsonClientOptions = {
    service: 'Hugging Face',
    baseUrl: options.baseUrl,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    userAgent: options.userAgent ?? 'paperboy/0.1 (Hugging Face Daily Papers digest bot)',
    sleep,
    clock,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: options.maxRetryWaitMs } : {}),
    ...(options.random ? { random: options.random } : {}),
    onRetry: ({ target, attempt, delayMs, error }: RetryEvent) => logger.warn({ target, attempt, delayMs, code: error.code, status: error.options.status }, 'retrying Hugging Face request'),
  };
  const client: JsonClient = createJsonClient({ ...shared, ...(pacing ? { limiter: createRateLimiter(pacing, clock, sleep) } : {}) });
  // 60 + 5 min × 12/min = 120 interactive requests in any 5 minutes at most: with sync's 360, under HF's 500.
  const interactivePacing = options.interactive?.rateLimit ?? { burst: 10, perSecond: 0.2 };
  const interactive: JsonClient = createJsonClient({
    ...shared,
    timeoutMs: options.interactive?.timeoutMs ?? 5_000,
    maxAttempts: 1,
    limiter: createNonQueueingLimiter(interactivePacing, clock, 'Hugging Face'),
  });

  /** Maps entries in HF's order, skipping non-arXiv ids and ids already seen (first listing wins). */
  function collect(entries: HfDailyEntry[], seen: Set<string>, into: Paper[], context: string): number {
    let added = 0;
    for (const entry of entries) {
      const paper = hfEntryToPaper(entry);
      if (!paper) {
        logger.warn({ context, id: entry.paper.id }, 'skipping Hugging Face entry without an arXiv id');
        continue;
      }
      if (seen.has(paper.id)) continue;
      seen.add(paper.id);
      into.push(paper);
      added++;
    }
    return added;
  }

  return {
    async dailyPapers(day, { sort = 'upvotes' } = {}) {
      if (!isIsoDay(day)) throw new UsageError(`"${day}" is not a date; use YYYY-MM-DD.`);
      const papers: Paper[] = [];
      const seen = new Set<string>();
      for (let page = 0; page < maxPages; page++) {
        const query = { date: day, limit: pageSize, p: page, sort: sort === 'trending' ? 'trending' : undefined };
        const entries = await client.getJson('/api/daily_papers', hfDailyListSchema, query);
        const added = collect(entries, seen, papers, day);
        if (entries.length < pageSize) break;
        // A full page with nothing new means the server ignores `p`; stop rather than loop.
        if (added === 0) break;
        if (page === maxPages - 1) logger.warn({ day, pages: maxPages }, 'stopped paging Hugging Face daily papers at the page limit');
      }
      return papers.map((paper, index): DailyListing => ({ paper, day, rank: index + 1 }));
    },

    async searchPapers(query, limit = 20) {
      const q = cutQuery(query.trim(), HF_SEARCH_MAX_QUERY);
      if (!q) return [];
      const size = Math.min(HF_SEARCH_MAX_LIMIT, Math.max(1, Math.floor(limit)));
      const items = await interactive.getJson('/api/papers/search', hfSearchResultsSchema, { q, limit: size });
      const papers: Paper[] = [];
      collect(items, new Set(), papers, 'search');
      return papers.slice(0, size);
    },

    async getPaper(idOrUrl) {
      const id = canonicalArxivId(idOrUrl);
      if (!id) return null;
      const body = await interactive.getJsonOrNull(paperPath(id), hfPaperSchema);
      return body ? hfPaperToPaper(body) : null;
    },

    // The watcher's checks queue on sync's budget; a follow someone waits on spends theirs.
    async paperArtifacts(idOrUrl, { interactive: waiting = false } = {}) {
      const id = canonicalArxivId(idOrUrl);
      if (!id) return null;
      const via = waiting ? interactive : client;
      const body = await via.getJsonOrNull(paperPath(id), hfPaperSchema);
      const paper = body ? hfPaperToPaper(body) : null;
      if (!paper) return null;
      const cites = { filter: `arxiv:${id}`, limit: ARTIFACTS_LIMIT };
      const [models, datasets] = await Promise.all([via.getJson('/api/models', hfRepoListSchema, cites), via.getJson('/api/datasets', hfRepoListSchema, cites)]);
      return { paper, artifacts: { githubRepo: paper.githubRepo, models: models.map((model) => model.id), datasets: datasets.map((dataset) => dataset.id) } };
    },

    close: async () => {
      await Promise.all([client.close(), interactive.close()]);
    },
  };
}

function paperPath(id: string): string {
  return `/api/papers/${id.split('/').map(encodeURIComponent).join('/')}`;
}

/** At most `max` UTF-16 units (HF's limit), never splitting a surrogate pair. */
function cutQuery(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out.trim();
}
