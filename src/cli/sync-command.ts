import { recentDays, syncDays, type SyncProgress } from '../papers/sync.js';
import { addDays } from '../time.js';
import { EXIT, ExitError } from './exit.js';
import { openOneShotApp } from './runtime.js';

export const DEFAULT_SYNC_DAYS = 30;

export async function runSyncCommand(options: { from?: string; to?: string }): Promise<void> {
  const app = openOneShotApp();
  try {
    const recent = recentDays(DEFAULT_SYNC_DAYS, app.clock);
    const to = options.to ?? (options.from && options.from > recent.to ? options.from : recent.to);
    const from = options.from ?? (options.to ? addDays(options.to, -(DEFAULT_SYNC_DAYS - 1)) : recent.from);
    const progress = progressPrinter(process.stderr);
    const report = await syncDays({ source: app.source, store: app.store, clock: app.clock, logger: app.logger }, { from, to, onProgress: progress.update });
    progress.done();
    const papers = report.days.reduce((sum, day) => sum + (day.error ? 0 : day.papers), 0);
    const synced = report.days.length - report.failedDays;
    if (report.failedDays > 0 && synced === 0) throw new ExitError(EXIT.failure, `Sync failed: ${report.days[0]?.error}`);
    process.stdout.write(`Synced ${synced} day${synced === 1 ? '' : 's'} (${from} … ${to}): ${papers} listings, ${report.papersAdded} new papers.\n`);
    if (report.failedDays > 0) {
      const failures = report.days.filter((day) => day.error);
      for (const day of failures) process.stderr.write(`${day.day}: ${day.error}\n`);
      throw new ExitError(EXIT.failure, `${report.failedDays} of ${report.days.length} days failed to sync; the others were saved.`);
    }
  } finally {
    await app.close();
  }
}

/** One self-overwriting progress line on a TTY; nothing otherwise (logs and pipes stay clean). */
export function progressPrinter(stream: NodeJS.WriteStream) {
  const tty = Boolean(stream.isTTY);
  return {
    update(progress: SyncProgress) {
      if (!tty) return;
      const status = progress.error ? 'failed' : `${progress.papers} papers`;
      stream.write(`\r\u001b[2KSyncing ${progress.done}/${progress.total} · ${progress.day} · ${status}`);
    },
    done() {
      if (tty) stream.write('\r\u001b[2K');
    },
  };
}
