import { parseQuery } from '../../src/search/parse.js';
import type { ParsedQuery } from '../../src/search/query.js';
import { summarise } from '../lib/stats.js';

export type QueryKind = 'word' | 'words' | 'phrase' | 'or' | 'exclude' | 'author';

export interface BenchQuery {
  text: string;
  query: ParsedQuery;
  kind: QueryKind;
}

export function prepareQueries(texts: readonly string[]): BenchQuery[] {
  return texts.map((text) => {
    const parsed = parseQuery(text);
    if (!parsed.ok) throw new Error(`bench query ${JSON.stringify(text)}: ${parsed.error}`);
    return { text, query: parsed.query, kind: kindOf(parsed.query) };
  });
}

function kindOf(query: ParsedQuery): QueryKind {
  const terms = query.clauses.flat();
  if (terms.some((term) => term.field === 'author')) return 'author';
  if (query.excluded.length > 0) return 'exclude';
  if (query.clauses.some((clause) => clause.length > 1)) return 'or';
  if (terms.some((term) => term.tokens.length > 1)) return 'phrase';
  return terms.length > 1 ? 'words' : 'word';
}

const PASS_BUDGET_MS = 8_000;

export interface LatencyReport {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  byKind: Record<string, { count: number; p50: number; p95: number }>;
  slowest: { text: string; ms: number }[];
  passes: number;
  /** p95 and p99 of the warm-up pass, before any query repeats. */
  firstPassP95: number;
  firstPassP99: number;
}

/**
 * One warm-up pass, then up to `maxPasses` timed passes over every query (fewer when a pass is slow, so a slow
 * engine does not stretch the bench past its time budget); each timing covers parse + search.
 */
export async function measureLatency(queries: readonly BenchQuery[], maxPasses: number, run: (query: ParsedQuery) => unknown): Promise<LatencyReport> {
  // The warm-up pass is also reported ("first pass"): caches (SQLite pages, tokenised titles) start cold there.
  const warmStart = performance.now();
  const firstPass: number[] = [];
  for (const query of queries) {
    const start = process.hrtime.bigint();
    const parsed = parseQuery(query.text);
    if (parsed.ok) await run(parsed.query);
    firstPass.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const passes = Math.max(1, Math.min(maxPasses, Math.floor(PASS_BUDGET_MS / Math.max(1, performance.now() - warmStart))));
  const all: number[] = [];
  const perQuery = queries.map(() => [] as number[]);
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < queries.length; i++) {
      const query = queries[i]!;
      const start = process.hrtime.bigint();
      const parsed = parseQuery(query.text);
      if (parsed.ok) await run(parsed.query);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      all.push(ms);
      perQuery[i]!.push(ms);
    }
  }
  const byKind: LatencyReport['byKind'] = {};
  for (const kind of new Set(queries.map((q) => q.kind))) {
    const samples = queries.flatMap((q, i) => (q.kind === kind ? perQuery[i]! : []));
    const s = summarise(samples);
    byKind[kind] = { count: queries.filter((q) => q.kind === kind).length, p50: s.p50, p95: s.p95 };
  }
  const slowest = queries
    .map((q, i) => ({ text: q.text, ms: summarise(perQuery[i]!).p50 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  const first = summarise(firstPass);
  return { ...summarise(all), byKind, slowest, passes, firstPassP95: first.p95, firstPassP99: first.p99 };
}
