import { copyFileSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recentDays } from '../src/papers/sync.js';
import { daysBetween } from '../src/time.js';
import { makeHfDay, startFakeHfServer } from '../test/fakes/hf-server.js';
import { startFakeSlack } from '../test/fakes/slack-api.js';
import { killAll, timeRun, type ChildOptions, type TimedRun } from './cold-start/children.js';
import { timeFirstAnswer, type FirstAnswer } from './cold-start/first-answer.js';
import { BENCH_DIR, cachedStore } from './cold-start/store.js';
import { distinctQueries } from './lib/distinct-queries.js';
import { checkAtMost } from './lib/goals.js';
import type { BenchScenario } from './lib/scenario.js';
import { median, percentile } from './lib/stats.js';
import { formatTable } from './lib/table.js';

/**
 * What a user waits for before the CLI answers: `node -e 0` (the floor Node itself sets), `--version`
 * (commander and the entry point), `search` on a 100k-paper store, and `start` in Slack HTTP mode up to the
 * first answered `/papers`. Each is a fresh process, timed from spawn; the rows take turns so drift on the
 * machine spreads over all of them. Slack and Hugging Face are fakes in this process.
 *
 *   npm run bench -- cold-start [--papers 100000] [--runs 10]
 */
const BIN = fileURLToPath(new URL('../bin/paperboy.js', import.meta.url));
const QUERY = 'grokking';
/** Days `paperboy start` syncs on start-up (START_SYNC_DAYS); the fake lists papers for each, as HF would. */
const START_SYNC_DAYS = 30;
const PAPERS_PER_DAY = 40;
/** Different searches the last `start` answers before its memory is read again. */
const SEARCHES_FOR_MEMORY = 500;

interface Row {
  name: string;
  goalMs: number | null;
  samples: number[];
}

const scenario: BenchScenario = {
  description: 'CLI cold start: `search` on a 100k-paper store and `start` → first answered /papers, beside `node -e 0`',
  async run(args) {
    const { papers, runs } = parseArgs(args);
    const store = await cachedStore(papers);
    const work = mkdtempSync(join(BENCH_DIR, 'cold-start-run-'));
    const { from, to } = recentDays(START_SYNC_DAYS);
    const hf = await startFakeHfServer({ days: Object.fromEntries(daysBetween(from, to).map((day) => [day, makeHfDay(day, PAPERS_PER_DAY)])) });
    const slack = await startFakeSlack();
    try {
      // `start` syncs into its store, so it gets a copy; `search` reads the cached file (checked unchanged below).
      const startDb = join(work, 'start.db');
      copyFileSync(store.path, startDb, constants.COPYFILE_FICLONE);
      const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', HF_API_URL: hf.url };
      const child = (database: string): ChildOptions => ({ cwd: work, env: { ...base, DATABASE_URL: database } });
      const searchHits = await checkHits(child(store.path));
      const before = statSync(store.path);
      const fallbacksBefore = hfSearches(hf.requests);

      const rows: Row[] = [
        { name: 'node -e 0', goalMs: null, samples: [] },
        { name: 'paperboy --version', goalMs: null, samples: [] },
        { name: `paperboy search ${QUERY}`, goalMs: 400, samples: [] },
        { name: `paperboy start → /papers ${QUERY} answered`, goalMs: 1000, samples: [] },
      ];
      const starts: FirstAnswer[] = [];
      const once = async (round: number) => {
        const keep = (row: Row, ms: number) => void (round > 0 && row.samples.push(ms));
        keep(rows[0]!, checked(await timeRun(['-e', '0'], child(store.path)), false));
        keep(rows[1]!, checked(await timeRun([BIN, '--version'], child(store.path))));
        keep(rows[2]!, checked(await timeRun([BIN, 'search', QUERY], child(store.path))));
        const start = await timeFirstAnswer(BIN, slack, child(startDb), QUERY, round === runs ? distinctQueries(SEARCHES_FOR_MEMORY) : []);
        if (round > 0) starts.push(start);
        keep(rows[3]!, start.answeredMs);
      };
      // Round 0 warms the page cache and the store copy's first sync (later starts re-sync, as a restart does).
      for (let round = 0; round <= runs; round++) {
        process.stdout.write(round === 0 ? '  warm-up… ' : `${round} `);
        await once(round);
      }
      console.log('\n');

      const after = statSync(store.path);
      const floor = median(rows[0]!.samples);
      console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, Node ${process.version}, ${platform()} ${release()}`);
      console.log(`Corpus: ${papers.toLocaleString('en-US')} papers generated from ${store.source}`);
      console.log(`Store: ${store.path} (${store.diskMb.toFixed(0)} MB, ${store.buildMs === null ? 'cached' : `built in ${(store.buildMs / 1000).toFixed(1)} s`}); \`start\` runs on a copy of it.`);
      console.log(`"${QUERY}": ${searchHits.hits}${searchHits.more ? '+' : ''} local hits (search --json --limit 100)${searchHits.remote ? ', some from the HF fallback' : ''}.`);
      console.log(`Runs: ${runs} per row after 1 warm-up, rows in turn; each child gets PATH, NO_COLOR=1 and its settings only, cwd a temp dir with no .env.\n`);
      console.log(
        formatTable(
          ['what', 'runs', 'median ms', 'p90 ms', 'min ms', 'median − floor', 'goal', 'result'],
          rows.map((row) => {
            const sorted = [...row.samples].sort((a, b) => a - b);
            const mid = median(sorted);
            return [row.name, sorted.length, mid, percentile(sorted, 90), sorted[0]!, mid - floor, row.goalMs === null ? '–' : `≤ ${row.goalMs} ms`, row.goalMs === null ? '–' : checkAtMost(row.name, mid, row.goalMs)];
          }),
        ),
      );

      const phase = (pick: (s: FirstAnswer) => number | null) => median(starts.map(pick).filter((ms): ms is number => ms !== null));
      console.log(`\n\`start\` phases (median ms from spawn, as the log lines reached us): HTTP listening ${phase((s) => s.listeningMs).toFixed(0)}, slack adapter ready ${phase((s) => s.readyMs).toFixed(0)}, first answer ${phase((s) => s.answeredMs).toFixed(0)}.`);
      const rss = phase((s) => s.rssMb);
      if (Number.isFinite(rss)) console.log(`\`start\` resident memory once it has answered (median): ${rss.toFixed(0)} MB (goal < 200 MB: ${checkAtMost('start RSS after the first answer on a 100k-paper store', rss, 200, 'MB')}).`);
      const afterSearches = starts.at(-1)?.rssAfterSearchesMb;
      if (afterSearches != null) {
        const result = checkAtMost(`start RSS after ${SEARCHES_FOR_MEMORY} different searches on a 100k-paper store`, afterSearches, 200, 'MB');
        console.log(`…and after answering ${SEARCHES_FOR_MEMORY} different /papers searches (last run): ${afterSearches.toFixed(0)} MB (goal < 200 MB: ${result}).`);
      }
      console.log(`Commands sent per start (refused or 503 until ready, then the answer): median ${median(starts.map((s) => s.attempts))}; answered in the ack ${starts.filter((s) => !s.deferred).length}/${starts.length}; the answer: "${starts[0]?.text.slice(0, 80) ?? ''}".`);
      const problems = [...new Set(starts.flatMap((s) => s.problems))];
      if (problems.length > 0) console.log(`Warnings the bot logged: ${problems.join(' · ')}`);
      const fallbacks = hfSearches(hf.requests) - fallbacksBefore;
      console.log(`HF search fallback during the timed runs: ${fallbacks === 0 ? 'none' : `${fallbacks} requests (the local index had fewer hits than a page)`}.`);
      console.log(`Cached store unchanged by the search runs: ${before.mtimeMs === after.mtimeMs && before.size === after.size ? 'yes' : 'NO'}.`);
    } finally {
      killAll();
      await slack.close();
      await hf.close();
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default scenario;

/** A run that failed would time an error message: stop instead. */
function checked(run: TimedRun, printsSomething = true): number {
  if (run.code !== 0 || (printsSomething && run.stdout.trim() === '')) throw new Error(`child exited ${run.code}${run.stdout.trim() ? '' : ' with no output'}: ${run.stderr.slice(0, 500)}`);
  return run.ms;
}

/** The query must hit locally, or `search` times Hugging Face (here, the fake) instead of the index. */
async function checkHits(options: ChildOptions): Promise<{ hits: number; more: boolean; remote: boolean }> {
  const run = await timeRun([BIN, 'search', QUERY, '--json', '--limit', '100'], options);
  checked(run);
  const reply = JSON.parse(run.stdout) as { type: string; cards?: unknown[]; nextOffset?: number | null; includesRemote?: boolean };
  return { hits: reply.cards?.length ?? 0, more: reply.nextOffset != null, remote: reply.includesRemote === true };
}

function hfSearches(requests: readonly { path: string }[]): number {
  return requests.filter((r) => r.path === '/api/papers/search').length;
}

function parseArgs(args: readonly string[]): { papers: number; runs: number } {
  const options = { papers: 100_000, runs: 10 };
  for (let i = 0; i < args.length; i++) {
    const name = args[i]?.replace(/^--/, '');
    if (name !== 'papers' && name !== 'runs') throw new Error(`unknown option ${args[i]}; cold-start takes --papers N and --runs N`);
    const value = Number(args[++i]?.replaceAll('_', ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
    options[name] = value;
  }
  return options;
}
