import { UsageError, errorMessage } from '../errors.js';
import { isHttpError } from '../http/index.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { addDays, daysBetween, isIsoDay, systemClock, type Clock } from '../time.js';
import { mapLimit } from '../util/map-limit.js';
import type { PaperSource } from './source.js';

export interface SyncDeps {
  source: Pick<PaperSource, 'dailyPapers'>;
  store: Pick<Store, 'saveDay' | 'syncedDays'>;
  clock?: Clock;
  logger?: Logger;
  /** Days fetched at once (default 4); the source paces its own requests. */
  concurrency?: number;
}

export interface SyncOptions {
  from: string;
  to: string;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncProgress extends SyncDayReport {
  done: number;
  total: number;
}

export interface SyncDayReport {
  day: string;
  /** Papers listed for the day (for a kept day: what the store already had). */
  papers: number;
  papersAdded: number;
  papersUpdated: number;
  /** One-line reason the day failed; the store was not touched for it. */
  error?: string;
  /** HF answered [] for a day the store already had papers for; the stored listing was kept. */
  kept?: boolean;
  /** The failure was HF not answering at all (network, timeout), not a bad answer. */
  unreachable?: boolean;
}

export interface SyncReport {
  days: SyncDayReport[];
  papersAdded: number;
  papersUpdated: number;
  /** How many days failed (see `days[].error`). */
  failedDays: number;
}

/** Longest span one sync accepts, so a typo in --from cannot start hours of requests. */
export const MAX_SYNC_DAYS = 1096;

/**
 * Fetches every day in [from, to] and saves each one in its own transaction. A failed day is reported and the
 * others continue; a day is written whole or not at all. Re-running is idempotent (listings are replaced,
 * papers upserted).
 */
export async function syncDays(deps: SyncDeps, { from, to, onProgress }: SyncOptions): Promise<SyncReport> {
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!isIsoDay(value)) throw new UsageError(`--${name} "${value}" is not a date; use YYYY-MM-DD.`);
  }
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}.`);
  const days = daysBetween(from, to);
  if (days.length > MAX_SYNC_DAYS) throw new UsageError(`${days.length} days is more than one sync covers (${MAX_SYNC_DAYS}); split the range.`);

  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  let done = 0;
  // HF unreachable (network error or timeout after retries): the remaining days would only wait out the same
  // retries, so they fail at once with that reason; a user with no network hears so in seconds, not a minute.
  let unreachable: string | null = null;
  let warnedUnreachable = false;
  const reports = await mapLimit(days, deps.concurrency ?? 4, async (day) => {
    const skipped = unreachable !== null;
    const report: SyncDayReport = skipped ? { day, papers: 0, papersAdded: 0, papersUpdated: 0, error: unreachable! } : await syncOneDay(deps, day, clock);
    if (report.unreachable) unreachable ??= report.error ?? 'Hugging Face is unreachable';
    done++;
    // One warning for an unreachable Hugging Face, not one per day (days in flight fail with it too).
    if (report.error && !skipped && !(report.unreachable && warnedUnreachable)) logger.warn({ day, err: report.error }, 'day sync failed');
    if (report.unreachable) warnedUnreachable = true;
    else logger.debug({ day, papers: report.papers, added: report.papersAdded }, 'day synced');
    onProgress?.({ ...report, done, total: days.length });
    return report;
  });

  return {
    days: reports,
    papersAdded: reports.reduce((sum, r) => sum + r.papersAdded, 0),
    papersUpdated: reports.reduce((sum, r) => sum + r.papersUpdated, 0),
    failedDays: reports.filter((r) => r.error !== undefined).length,
  };
}

async function syncOneDay(deps: SyncDeps, day: string, clock: Clock): Promise<SyncDayReport> {
  try {
    const listings = await deps.source.dailyPapers(day);
    if (listings.length === 0) {
      // Days only grow; an empty answer for a day we hold papers for is an HF hiccup, not a deletion.
      const [previous] = await deps.store.syncedDays(day, day);
      if (previous && previous.papers > 0) return { day, papers: previous.papers, papersAdded: 0, papersUpdated: 0, kept: true };
    }
    const saved = await deps.store.saveDay(day, listings, clock());
    return { day, papers: listings.length, papersAdded: saved.papersAdded, papersUpdated: saved.papersUpdated };
  } catch (error) {
    const unreachable = isHttpError(error, 'http_network') || isHttpError(error, 'http_timeout');
    return { day, papers: 0, papersAdded: 0, papersUpdated: 0, error: errorMessage(error).replace(/\s+/g, ' ').trim(), ...(unreachable ? { unreachable } : {}) };
  }
}

/** The last `count` days up to and including today (UTC): the default window for `start` and `sync`. */
export function recentDays(count: number, clock: Clock = systemClock): { from: string; to: string } {
  const to = clock().toISOString().slice(0, 10);
  return { from: addDays(to, -(Math.max(1, Math.floor(count)) - 1)), to };
}
