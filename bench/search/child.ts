/**
 * One measurement in its own process, so memory readings do not mix engines or sizes:
 *   run-ts bench/search/child.ts sqlite|postgres|minisearch <papers>   |   run-ts bench/search/child.ts subscriptions <count> <papers>
 * Prints one `RESULT {json}` line.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGarbage, heapMb, rssMb } from '../lib/memory.js';
import { timeAsync } from '../lib/stats.js';
import { generateCorpus, loadPools } from './corpus.js';
import { measureLatency, prepareQueries, type LatencyReport } from './measure.js';
import { buildMiniSearch } from './minisearch-engine.js';
import { buildPostgres } from './postgres-engine.js';
import { benchQueries } from './queries.js';
import { buildSqlite } from './sqlite-engine.js';
import { measureSubscriptions } from './subscriptions.js';

export type SearchEngineName = 'sqlite' | 'postgres' | 'minisearch';

export interface SearchResult {
  engine: SearchEngineName;
  papers: number;
  corpus: string;
  buildMs: number;
  rssMb: number;
  heapMb: number;
  /** For PostgreSQL: tables, indexes and TOAST on the server. */
  diskMb: number | null;
  latency: LatencyReport;
}

const PASSES = 5;
/** "Now" for recency: the day after the generated corpus ends. */
const NOW = new Date('2026-08-22T00:00:00Z');
/** `/papers` asks for a page of 10 plus one row that tells whether a next page exists. */
const PAGE = 11;

async function main(): Promise<void> {
  const [task, a, b] = process.argv.slice(2);
  const pools = loadPools();
  if (task === 'subscriptions') {
    emit(measureSubscriptions(pools, Number(a ?? 10_000), Number(b ?? 200)));
    return;
  }
  const size = Number(a ?? 10_000);
  const corpus = generateCorpus(pools, size);
  const queries = prepareQueries(benchQueries(pools));
  collectGarbage();
  const rssBefore = rssMb();
  const heapBefore = heapMb();

  if (task === 'sqlite') {
    const built = await timeAsync(() => buildSqlite(corpus, join(tmpdir(), `paperboy-bench-${process.pid}.db`)));
    const engine = built.result;
    const latency = await measureLatency(queries, PASSES, (query) => engine.search(query, NOW, PAGE));
    collectGarbage();
    const result: SearchResult = { engine: 'sqlite', papers: size, corpus: pools.source, buildMs: built.ms, rssMb: rssMb() - rssBefore, heapMb: heapMb() - heapBefore, diskMb: engine.diskMb(), latency };
    await engine.close();
    emit(result);
  } else if (task === 'postgres') {
    // RSS and heap are this client's (pool, rows in flight); the server's memory is its own.
    const built = await timeAsync(() => buildPostgres(corpus));
    const engine = built.result;
    const latency = await measureLatency(queries, PASSES, (query) => engine.search(query, NOW, PAGE));
    collectGarbage();
    const result: SearchResult = { engine: 'postgres', papers: size, corpus: pools.source, buildMs: built.ms, rssMb: rssMb() - rssBefore, heapMb: heapMb() - heapBefore, diskMb: await engine.diskMb(), latency };
    await engine.close();
    emit(result);
  } else if (task === 'minisearch') {
    const built = await timeAsync(async () => buildMiniSearch(corpus));
    const engine = built.result;
    const latency = await measureLatency(queries, PASSES, (query) => engine.search(query, PAGE));
    collectGarbage();
    emit({ engine: 'minisearch', papers: size, corpus: pools.source, buildMs: built.ms, rssMb: rssMb() - rssBefore, heapMb: heapMb() - heapBefore, diskMb: null, latency } satisfies SearchResult);
  } else {
    throw new Error(`unknown task ${task}`);
  }
}

function emit(result: unknown): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}

await main();
