import { fileURLToPath } from 'node:url';
import type { BenchScenario } from '../lib/scenario.js';
import { checkAtMost, checkRealTexts, checkThat } from '../lib/goals.js';
import { formatTable } from '../lib/table.js';
import type { SearchEngineName, SearchResult } from './child.js';
import { BENCH_DATABASE_URL, postgresUnavailable } from './postgres-engine.js';
import type { SubscriptionReport } from './subscriptions.js';
import { runBenchChild } from '../lib/run-child.js';
import { redactUrl } from '../../src/http/redact-url.js';

/**
 * Search at 10k and 100k generated papers: SQLite FTS5 and PostgreSQL (the production stores and query path,
 * PostgreSQL when TEST_DATABASE_URL answers) against MiniSearch on the same corpus, plus subscription matching
 * (inverted index vs the naive loop). Each engine and size runs in its own process so RSS figures are its own.
 *
 *   npm run bench -- search [--sizes 10000,100000] [--subscriptions 10000,100000] [--new-papers 200] [--no-minisearch] [--no-postgres]
 */
const scenario: BenchScenario = {
  description: 'search latency/build/memory (SQLite FTS5, PostgreSQL, MiniSearch) and subscription matching',
  async run(args) {
    const options = parseArgs(args);
    if (options.engines.includes('postgres')) {
      const unavailable = await postgresUnavailable();
      if (unavailable) {
        console.log(`  PostgreSQL skipped: ${unavailable} (set TEST_DATABASE_URL to bench one)`);
        options.engines = options.engines.filter((engine) => engine !== 'postgres');
      } else {
        console.log(`  PostgreSQL at ${redactUrl(BENCH_DATABASE_URL)}, in a fresh schema per size`);
      }
    }
    const results: SearchResult[] = [];
    for (const size of options.sizes) {
      for (const engine of options.engines) {
        process.stdout.write(`  ${engine} at ${size.toLocaleString('en-US')} papers… `);
        const result = (await runBenchChild(CHILD, [engine, String(size)], ['--expose-gc'])) as SearchResult;
        console.log(`built in ${(result.buildMs / 1000).toFixed(1)} s, p95 ${result.latency.p95.toFixed(2)} ms`);
        results.push(result);
      }
    }
    const subs: SubscriptionReport[] = [];
    for (const count of options.subscriptions) {
      process.stdout.write(`  ${count.toLocaleString('en-US')} subscriptions × ${options.newPapers} papers… `);
      subs.push((await runBenchChild(CHILD, ['subscriptions', String(count), String(options.newPapers)], ['--expose-gc'])) as SubscriptionReport);
      console.log('done');
    }

    console.log(`\nCorpus: generated from ${results[0]?.corpus ?? '?'}`);
    checkRealTexts(results[0]?.corpus ?? 'built-in (no result)');
    // A first pass over a few repeated queries would be warm for most of them: it is cold only over many different ones.
    if (results[0]) checkThat('search timed over at least 1,000 different queries', prepareCount(results[0]) >= 1_000);
    console.log(`Latency: one /papers search (parse, rank, load a page of 10 + 1) per query; ${results[0] ? `${prepareCount(results[0])} queries` : ''}, timed passes after a warm-up.\n`);
    console.log(
      formatTable(
        ['engine', 'papers', 'build s', 'RSS MB', 'heap MB', 'disk MB', 'passes', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '1st-pass p95', '1st-pass p99'],
        results.map((r) => [r.engine, r.papers, r.buildMs / 1000, r.rssMb, r.heapMb, r.diskMb ?? '–', r.latency.passes, r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max, r.latency.firstPassP95, r.latency.firstPassP99]),
      ),
    );

    const largest = Math.max(...results.map((r) => r.papers));
    const atLargest = results.filter((r) => r.papers === largest);
    const kinds = Object.keys(atLargest[0]?.latency.byKind ?? {});
    console.log(`\nBy query kind at ${largest.toLocaleString('en-US')} papers (ms):\n`);
    console.log(
      formatTable(
        ['kind', 'queries', ...atLargest.flatMap((r) => [`${r.engine} p50`, `${r.engine} p95`])],
        kinds.map((kind) => [kind, atLargest[0]!.latency.byKind[kind]!.count, ...atLargest.flatMap((r) => [r.latency.byKind[kind]?.p50 ?? Number.NaN, r.latency.byKind[kind]?.p95 ?? Number.NaN])]),
      ),
    );
    for (const r of atLargest) {
      console.log(`\nSlowest for ${r.engine} at ${largest.toLocaleString('en-US')}: ${r.latency.slowest.map((s) => `${s.text} ${s.ms.toFixed(1)} ms`).join(' · ')}`);
    }

    console.log('\nSubscriptions (new papers against every subscription; results must be identical):\n');
    console.log(
      formatTable(
        ['subscriptions', 'papers', 'index build ms', 'index match ms', 'naive ms', 'speed-up', 'matches', 'identical'],
        subs.map((r) => [r.subscriptions, r.papers, r.buildMs, r.indexMs, r.naiveMs, r.naiveMs / r.indexMs, r.matches, r.identical ? 'yes' : 'NO']),
      ),
    );

    const sqlite = atLargest.find((r) => r.engine === 'sqlite');
    const mini = atLargest.find((r) => r.engine === 'minisearch');
    const postgres = atLargest.find((r) => r.engine === 'postgres');
    const at = largest.toLocaleString('en-US');
    if (sqlite) {
      const p95 = checkAtMost(`SQLite search p95 at ${at} papers`, sqlite.latency.p95, 5);
      const firstPass = checkAtMost(`SQLite search first-pass p95 at ${at} papers`, sqlite.latency.firstPassP95, 5);
      // The same work in MiniSearch must take at least 10 times as long at p95.
      const ratio = mini ? checkAtMost(`SQLite p95 as a share of MiniSearch's at ${at} papers (≤ 0.1 = 10× faster)`, sqlite.latency.p95 / mini.latency.p95, 0.1, '×') : null;
      console.log(`\nTargets at ${at} papers: p95 ≤ 5 ms ${p95} (${sqlite.latency.p95.toFixed(2)} ms); first pass ${firstPass} (${sqlite.latency.firstPassP95.toFixed(2)} ms)${mini ? `; ≥ 10× MiniSearch ${ratio} (${(mini.latency.p95 / sqlite.latency.p95).toFixed(1)}×)` : ''}.`);
    }
    if (postgres) {
      // PostgreSQL answers over a socket, several queries per search: a looser target than in-process SQLite.
      const p95 = checkAtMost(`PostgreSQL search p95 at ${at} papers`, postgres.latency.p95, 20);
      console.log(`PostgreSQL target at ${at} papers: p95 ≤ 20 ms ${p95} (${postgres.latency.p95.toFixed(2)} ms).`);
    }
    if (subs.some((r) => !r.identical)) process.exitCode = 1;
  },
};

export default scenario;

function prepareCount(result: SearchResult): number {
  return Object.values(result.latency.byKind).reduce((sum, kind) => sum + kind.count, 0);
}

interface Options {
  sizes: number[];
  engines: SearchEngineName[];
  subscriptions: number[];
  newPapers: number;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { sizes: [10_000, 100_000], engines: ['sqlite', 'postgres', 'minisearch'], subscriptions: [10_000, 100_000], newPapers: 200 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--sizes') options.sizes = value().split(',').map((s) => Number(s.replaceAll('_', '')));
    else if (arg === '--subscriptions') options.subscriptions = value().split(',').map((s) => Number(s.replaceAll('_', '')));
    else if (arg === '--new-papers') options.newPapers = Number(value());
    else if (arg === '--no-minisearch') options.engines = options.engines.filter((engine) => engine !== 'minisearch');
    else if (arg === '--no-postgres') options.engines = options.engines.filter((engine) => engine !== 'postgres');
    else throw new Error(`unknown option ${arg}`);
  }
  for (const list of [options.sizes, options.subscriptions]) {
    if (list.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes and --subscriptions take positive integers, e.g. 10000,100000');
  }
  return options;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

