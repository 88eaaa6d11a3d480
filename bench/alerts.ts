/**
 * Subscription alerts at scale: 100,000 subscriptions (one per channel, as people write them) against 200 new
 * papers, read from a SQLite store and matched the way the scheduler does after a sync. Reports the whole run and
 * the longest the event loop was held meanwhile (`monitorEventLoopDelay`): the bot keeps answering commands
 * during a run only if no slice holds the loop long.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { matchSubscriptions, subscriptionPages } from '../src/schedule/alerts.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { checkAtMost, checkRealTexts } from './lib/goals.js';
import { createRng } from './lib/rng.js';
import type { BenchScenario } from './lib/scenario.js';
import { median } from './lib/stats.js';
import { formatTable } from './lib/table.js';
import { generateCorpus, loadPools } from './search/corpus.js';
import { subscriptionTexts } from './search/subscriptions.js';

const SUBSCRIPTIONS = 100_000;
const PAPERS = 200;
const RUNS = 5;
const GOALS = { runMs: 200, longestHoldMs: 20 };

const scenario: BenchScenario = {
  description: `subscription alerts: ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions × ${PAPERS} new papers from the store, whole run and longest event-loop hold`,
  async run() {
    const pools = loadPools();
    checkRealTexts(pools.source);
    const dir = join(tmpdir(), 'paperboy-bench');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `alerts-${SUBSCRIPTIONS}-${pools.titles.length}.db`);
    const fresh = !existsSync(path);
    const store = openSqliteStore(path);
    try {
      if (fresh) {
        process.stdout.write(`  storing ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions (once; cached as ${path})…\n`);
        let i = 0;
        for (const text of subscriptionTexts(createRng(1), pools, SUBSCRIPTIONS)) {
          await store.addSubscription({ platform: 'slack', id: `C${String(i++).padStart(8, '0')}` }, text, 'U0BENCH01', new Date());
        }
      }
      const papers = generateCorpus(pools, PAPERS, 777).map((entry) => entry.paper);
      const rows: (string | number)[][] = [];
      const runs: number[] = [];
      const holds: number[] = [];
      let matches = 0;
      for (let run = 0; run <= RUNS; run++) {
        const histogram = monitorEventLoopDelay({ resolution: 1 });
        histogram.enable();
        const started = performance.now();
        const matched = await matchSubscriptions(subscriptionPages(store), papers);
        const ms = performance.now() - started;
        histogram.disable();
        matches = [...matched.values()].reduce((sum, items) => sum + items.length, 0);
        // Run 0 fills the parse cache, as the first alert run after a start does; later runs are the steady state.
        if (run === 0) rows.push(['first run (cold parse cache)', Math.round(ms), Math.round(histogram.max / 1e6)]);
        else {
          runs.push(ms);
          holds.push(histogram.max / 1e6);
        }
      }
      rows.push([`later runs (median of ${RUNS})`, Math.round(median(runs)), Math.round(median(holds))]);
      console.log(`Corpus: ${pools.titles.length.toLocaleString('en')} paper texts (${pools.source}); ${matches.toLocaleString('en')} (channel, paper) matches per run.`);
      console.log(formatTable(['alert matching', 'run ms', 'longest hold ms'], rows));
      const run = median(runs);
      const hold = median(holds);
      const runResult = checkAtMost('alert matching run, 100k subscriptions × 200 papers', run, GOALS.runMs);
      const holdResult = checkAtMost('longest event-loop hold during alert matching', hold, GOALS.longestHoldMs);
      console.log(`goal: run ≤ ${GOALS.runMs} ms: ${runResult}; longest event-loop hold ≤ ${GOALS.longestHoldMs} ms: ${holdResult}`);
    } finally {
      await store.close();
    }
  },
};

export default scenario;
