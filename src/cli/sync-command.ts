import type { App } from '../app.js';
import { redactUrl } from '../http/redact-url.js';
import type { ArxivSource } from '../papers/arxiv.js';
import { syncArxiv } from '../papers/arxiv-sync.js';
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
    const hfFailed = report.failedDays > 0 && synced === 0;
    if (!hfFailed) process.stdout.write(`Synced ${synced} day${synced === 1 ? '' : 's'} (${from} … ${to}): ${papers} listings, ${report.papersAdded} new papers.\n`);
    // Each source's papers are saved whatever the other does; failures are reported after both ran.
    const arxivError = app.arxiv ? await syncArxivWithProgress(app.arxiv, app) : null;
    if (hfFailed) throw new ExitError(EXIT.failure, `Sync failed: ${report.days[0]?.error}${arxivError ? `; ${arxivError}` : ''}`);
    if (report.failedDays > 0) {
      const failures = report.days.filter((day) => day.error);
      for (const day of failures) process.stderr.write(`${day.day}: ${day.error}\n`);
      throw new ExitError(EXIT.failure, `${report.failedDays} of ${report.days.length} days failed to sync; the others were saved.`);
    }
    if (arxivError) throw new ExitError(EXIT.failure, arxivError);
  } finally {
    await app.close();
  }
}

/** arXiv's pages, one progress line each on stderr (each waits 3 s for the one before); null when it went well. */
async function syncArxivWithProgress(arxiv: ArxivSource, app: App): Promise<string | null> {
  const categories = arxiv.categories.join(', ');
  const report = await syncArxiv({ source: arxiv, store: app.store, clock: app.clock, logger: app.logger }, (page, so) => {
    process.stderr.write(`arXiv (${categories}): page ${so.pages}, ${so.papers} papers so far${page.status === 'more' ? '…' : ''}\n`);
  });
  if (report.error) return `arXiv sync failed at ARXIV_API_URL=${redactUrl(app.config.ARXIV_API_URL)}: ${report.error}`;
  const note = report.status === 'capped' ? ' (stopped at the page limit)' : report.status === 'cut-short' ? ' (arXiv answered a short page; the rest comes next sync)' : '';
  process.stdout.write(`arXiv (${categories}): ${report.papers} papers submitted since ${report.since.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${report.papersAdded} new${note}.\n`);
  return null;
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
