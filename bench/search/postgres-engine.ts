import type { DailyListing } from '../../src/papers/paper.js';
import type { ParsedQuery } from '../../src/search/query.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import type { SearchHit } from '../../src/store/store.js';
import { dropSchema, TEST_DATABASE_URL } from '../lib/postgres.js';
import type { BenchPaper } from './corpus.js';

export { postgresUnavailable } from '../lib/postgres.js';

/** The server the PostgreSQL engine runs on: the tests' one (TEST_DATABASE_URL), by default a local server. */
export const BENCH_DATABASE_URL = TEST_DATABASE_URL;

export interface PostgresEngine {
  store: PostgresStore;
  /** What `/papers` runs: ranked rows, then the papers loaded (limit + 1, as the command asks). */
  search(query: ParsedQuery, now: Date, limit: number): Promise<SearchHit[]>;
  /** Tables, indexes and TOAST of the bench schema. */
  diskMb(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The production store in a fresh schema, filled day by day through its own saveDay (as sync does), then
 * vacuumed and analysed as autovacuum would have done by the time anyone searches a store this size: the
 * planner's choice between the GIN index and a newest-first walk of `rowid` rests on those statistics.
 */
export async function buildPostgres(papers: readonly BenchPaper[], url = BENCH_DATABASE_URL): Promise<PostgresEngine> {
  const schema = `paperboy_bench_${process.pid}`;
  await dropSchema(schema, url);
  const fresh = openPostgresStore(url, { schema });
  const byDay = new Map<string, DailyListing[]>();
  for (const { paper, day } of papers) {
    const listings = byDay.get(day) ?? [];
    listings.push({ paper, day, rank: listings.length + 1 });
    byDay.set(day, listings);
  }
  for (const [day, listings] of byDay) await fresh.saveDay(day, listings, new Date(`${day}T12:00:00Z`));
  await fresh.query('VACUUM ANALYZE');
  return {
    store: fresh,
    search: (query, now, limit) => fresh.searchPapers(query, { limit, offset: 0, now }),
    diskMb: async () => {
      const [row] = await fresh.query<{ bytes: number }>(
        `SELECT sum(pg_total_relation_size(c.oid))::float8 AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [schema],
      );
      return (row?.bytes ?? 0) / 1024 / 1024;
    },
    close: async () => {
      await fresh.close();
      await dropSchema(schema, url);
    },
  };
}
