import { errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { DAY_MS, systemClock, type Clock } from '../time.js';
import type { ArxivPage, ArxivSource } from './arxiv.js';

/** How far back the first sync looks: arXiv's last two announcements, more or less. */
export const ARXIV_FIRST_SYNC_DAYS = 2;
/** Longest look back after an outage; further than that is left out rather than paged through. */
export const ARXIV_MAX_LOOKBACK_DAYS = 7;
/**
 * Each sync reaches this far behind the newest submission the last one saw: arXiv lists a paper only once it is
 * announced, which can be a day or more after its submission date (moderation holds, weekends).
 */
const OVERLAP_MS = DAY_MS;

export interface ArxivSyncDeps {
  source: Pick<ArxivSource, 'categories' | 'submissionsSince'>;
  store: Pick<Store, 'addPapers' | 'getState' | 'setState'>;
  clock?: Clock;
  logger?: Logger;
}

export interface ArxivSyncReport {
  /** Submissions from this instant on were asked for. */
  since: Date;
  pages: number;
  /** Entries in the window, over all pages. */
  papers: number;
  papersAdded: number;
  /** How the listing ended (see ArxivPage.status); `failed` with `error` when a request failed. */
  status: Exclude<ArxivPage['status'], 'more'> | 'failed';
  error?: string;
}

/**
 * Adds new arXiv submissions in the configured categories to the store, page by page (each page its own
 * transaction, so a failure keeps what came before it). Where the next sync starts is remembered per category
 * list, and moves only when this one read its whole window (or stopped at the page limit): a failed or cut-short
 * listing is asked again next time. Never throws: a failure is in the report, and Hugging Face's sync is not
 * touched by it.
 */
export async function syncArxiv(deps: ArxivSyncDeps, onPage?: (page: ArxivPage, report: ArxivSyncReport) => void): Promise<ArxivSyncReport> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const key = `arxiv.newest:${[...deps.source.categories].sort().join(',')}`;
  const now = clock();
  const report: ArxivSyncReport = { since: now, pages: 0, papers: 0, papersAdded: 0, status: 'complete' };
  let newest: string | null = null;
  try {
    const stored = await deps.store.getState(key);
    const floor = now.getTime() - (stored ? ARXIV_MAX_LOOKBACK_DAYS : ARXIV_FIRST_SYNC_DAYS) * DAY_MS;
    report.since = new Date(Math.max(floor, stored ? Date.parse(stored) - OVERLAP_MS : floor));
    for await (const page of deps.source.submissionsSince(report.since)) {
      const saved = await deps.store.addPapers(page.papers, clock());
      report.pages++;
      report.papers += page.papers.length;
      report.papersAdded += saved.papersAdded;
      if (page.status !== 'more') report.status = page.status;
      for (const entry of page.entries) if (newest === null || entry.published > newest) newest = entry.published;
      onPage?.(page, report);
    }
    if (newest !== null && (report.status === 'complete' || report.status === 'capped') && (!stored || newest > stored)) await deps.store.setState(key, newest);
  } catch (error) {
    report.status = 'failed';
    report.error = errorMessage(error).replace(/\s+/g, ' ').trim();
    logger.warn({ err: report.error, pages: report.pages }, 'arXiv sync failed; retried at the next sync');
    return report;
  }
  logger.info({ since: report.since.toISOString(), pages: report.pages, papers: report.papers, added: report.papersAdded, status: report.status }, 'arXiv synced');
  return report;
}
