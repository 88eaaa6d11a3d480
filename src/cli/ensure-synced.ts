import type { App } from '../app.js';
import { syncDays } from '../papers/sync.js';
import { addDays, localDate } from '../time.js';

/** How old the newest sync may be before a one-shot digest refreshes recent days first. */
const FRESH_MS = 60 * 60 * 1000;

/**
 * Makes sure the store can answer a digest: the asked day when it was never synced, or the last week when
 * nothing was synced within the hour. Failures are left to the caller's "no papers" path, not thrown.
 */
export async function ensureSynced(app: App, day: string | undefined, timeZone: string): Promise<string | null> {
  const now = app.clock();
  let from: string;
  let to: string;
  if (day) {
    if ((await app.store.syncedDays(day, day)).length > 0) return null;
    from = to = day;
  } else {
    const last = await app.store.lastSync();
    if (last && now.getTime() - last.syncedAt.getTime() < FRESH_MS) return null;
    to = localDate(now, timeZone);
    from = addDays(to, -6);
  }
  const report = await syncDays({ source: app.source, store: app.store, clock: app.clock, logger: app.logger }, { from, to });
  return report.failedDays === report.days.length ? (report.days[0]?.error ?? 'sync failed') : null;
}
