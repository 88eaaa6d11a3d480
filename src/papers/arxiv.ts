import { createJsonClient, type JsonClientOptions, type RetryEvent } from '../http/json-client.js';
import { createSpacedLimiter } from '../http/rate-limiter.js';
import { realSleep } from '../http/sleep.js';
import { silentLogger, type Logger } from '../logger.js';
import { systemClock } from '../time.js';
import { arxivEntryToPaper, arxivErrorMessage, parseArxivFeed, type ArxivEntry } from './arxiv-atom.js';
import type { Paper } from './paper.js';

/** arXiv asks API users for at most one request every three seconds, on one connection at a time. */
export const ARXIV_MIN_INTERVAL_MS = 3_000;

/** Timings and injected clocks, as the JSON client takes them (its defaults, but a 30 s attempt). */
type ClientOptions = Pick<JsonClientOptions, 'timeoutMs' | 'maxAttempts' | 'maxRetryWaitMs' | 'sleep' | 'clock' | 'random' | 'userAgent'>;

export interface ArxivSourceOptions extends ClientOptions {
  /** `ARXIV_API_URL`, e.g. https://export.arxiv.org */
  baseUrl: string;
  /** `ARXIV_CATEGORIES`, already checked: `cs.CL`, `stat.ML`, … */
  categories: string[];
  /** Gap after each answer before the next request (default and, from settings, minimum: 3 s). */
  intervalMs?: number;
  /** Entries asked per request (default 200). */
  pageSize?: number;
  /** Requests one listing may take at most (default 15): a long outage is not caught up page by page. */
  maxPages?: number;
  logger?: Logger;
}

/** One page of a listing, newest first, with what it says about the pages after it. */
export interface ArxivPage {
  /** Entries submitted at or after `since`. */
  entries: ArxivEntry[];
  papers: Paper[];
  /** `start` of this page. */
  start: number;
  totalResults: number;
  /**
   * `more`: another page follows. `complete`: the listing reached an entry older than `since`, or its end.
   * `capped`: stopped at `maxPages`. `cut-short`: arXiv answered a short page before the end (it does, now and
   * then); what came is good, the rest is missing.
   */
  status: 'more' | 'complete' | 'capped' | 'cut-short';
}

export interface ArxivSource {
  readonly categories: readonly string[];
  /** New submissions in the categories, newest first, down to `since`, one page per request. */
  submissionsSince(since: Date): AsyncGenerator<ArxivPage>;
  close(): Promise<void>;
}

export function createArxivSource(options: ArxivSourceOptions): ArxivSource {
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const pageSize = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 15;
  const { timeoutMs = 30_000, maxAttempts, maxRetryWaitMs, random, userAgent = 'paperboy/0.1 (arXiv listings for a paper digest bot)' } = options;
  const client = createJsonClient({
    service: 'arXiv',
    baseUrl: options.baseUrl,
    accept: 'application/atom+xml',
    ...{ userAgent, timeoutMs, maxAttempts, maxRetryWaitMs, random, sleep, clock },
    limiter: createSpacedLimiter(options.intervalMs ?? ARXIV_MIN_INTERVAL_MS, clock, sleep),
    errorDetail: arxivErrorMessage,
    onRetry: ({ target, attempt, delayMs, error }: RetryEvent) => logger.warn({ target, attempt, delayMs, code: error.code, status: error.options.status }, 'retrying arXiv request'),
  });
  const searchQuery = options.categories.map((category) => `cat:${category}`).join(' OR ');

  return {
    categories: [...options.categories],

    async *submissionsSince(since) {
      const from = since.toISOString();
      for (let page = 0; page < maxPages; page++) {
        const start = page * pageSize;
        const query = { search_query: searchQuery, sortBy: 'submittedDate', sortOrder: 'descending', start, max_results: pageSize };
        const feed = await client.getDecoded('/api/query', parseArxivFeed, query);
        for (const { id, reason } of feed.skipped) logger.warn({ id, reason }, 'skipping unreadable arXiv entry');
        const entries = feed.entries.filter((entry) => entry.published >= from);
        const reachedOlder = entries.length < feed.entries.length;
        const read = feed.entries.length + feed.skipped.length;
        const atEnd = start + read >= feed.totalResults;
        const status = reachedOlder || atEnd ? 'complete' : read < pageSize ? 'cut-short' : page === maxPages - 1 ? 'capped' : 'more';
        if (status === 'capped') logger.warn({ pages: maxPages, since: from }, 'stopped paging arXiv at the page limit');
        if (status === 'cut-short') logger.warn({ start, got: read, total: feed.totalResults }, 'arXiv answered a short page before the end; the rest waits for the next sync');
        yield { entries, papers: entries.map(arxivEntryToPaper), start, totalResults: feed.totalResults, status };
        if (status !== 'more') return;
      }
    },

    close: () => client.close(),
  };
}
