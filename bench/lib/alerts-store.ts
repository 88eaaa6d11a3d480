import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Paper } from '../../src/papers/paper.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { generateCorpus, type Pools } from '../search/corpus.js';
import { subscriptionTexts } from '../search/subscriptions.js';
import { createRng } from './rng.js';

export const ALERT_SUBSCRIPTIONS = 100_000;
export const ALERT_PAPERS = 200;
/** Papers a bot has synced before: the store's word counts are what alert matching picks its anchors by. */
const STORED_PAPERS = 10_000;

export const alertChannel = (n: number) => ({ platform: 'slack', id: `C${String(n).padStart(8, '0')}` });

/**
 * A store with 100k subscriptions (one per channel, as people write them) and 10k earlier papers, built once and
 * cached in the temp folder, opened on a copy so every bench run starts from the same state; and the 200 new papers
 * an alert run matches, already synced into it.
 */
export async function openAlertStore(pools: Pools): Promise<{ store: Store; papers: Paper[]; close: () => Promise<void> }> {
  const dir = join(tmpdir(), 'paperboy-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `alerts-${ALERT_SUBSCRIPTIONS}-${STORED_PAPERS}-${pools.titles.length}.db`);
  if (!existsSync(path)) {
    process.stdout.write(`  storing ${ALERT_SUBSCRIPTIONS.toLocaleString('en')} subscriptions and ${STORED_PAPERS.toLocaleString('en')} earlier papers (once; cached as ${path})…\n`);
    const seed = openSqliteStore(path);
    let i = 0;
    for (const text of subscriptionTexts(createRng(1), pools, ALERT_SUBSCRIPTIONS)) await seed.addSubscription(alertChannel(i++), text, 'U0BENCH01', new Date());
    const earlier = generateCorpus(pools, STORED_PAPERS, 5).map((entry, n) => ({ ...entry.paper, id: `earlier-${n}` }));
    await seed.addPapers(earlier, new Date());
    await seed.close();
  }
  const workPath = join(dir, `alerts-run-${process.pid}.db`);
  copyFileSync(path, workPath);
  const store = openSqliteStore(workPath);
  const papers = generateCorpus(pools, ALERT_PAPERS, 777).map((entry) => entry.paper);
  // Synced before the alert run, as the scheduler does.
  await store.addPapers(papers, new Date());
  return {
    store,
    papers,
    async close() {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${workPath}${suffix}`, { force: true });
    },
  };
}
