import { rmSync, statSync } from 'node:fs';
import type { DailyListing } from '../../src/papers/paper.js';
import type { ParsedQuery } from '../../src/search/query.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import type { SearchHit } from '../../src/store/store.js';
import type { BenchPaper } from './corpus.js';

export interface SqliteEngine {
  store: SqliteStore;
  /** What `/papers` runs: ranked rows, then the papers loaded (limit + 1, as the command asks). */
  search(query: ParsedQuery, now: Date, limit: number): Promise<SearchHit[]>;
  diskMb(): number;
  close(): Promise<void>;
}

/** The production store on a temporary file, filled day by day through its own saveDay (as sync does). */
export async function buildSqlite(papers: readonly BenchPaper[], path: string): Promise<SqliteEngine> {
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  remove();
  // Cache off: each timed search is a full parse, rank and load, as for a query nobody asked in the last hour.
  const store = openSqliteStore(path, { searchCacheSize: 0 });
  const byDay = new Map<string, DailyListing[]>();
  for (const { paper, day } of papers) {
    const listings = byDay.get(day) ?? [];
    listings.push({ paper, day, rank: listings.length + 1 });
    byDay.set(day, listings);
  }
  for (const [day, listings] of byDay) await store.saveDay(day, listings, new Date(`${day}T12:00:00Z`));
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    store,
    search: (query, now, limit) => store.searchPapers(query, { limit, offset: 0, now }),
    diskMb: () => statSync(path).size / 1024 / 1024,
    close: async () => {
      await store.close();
      remove();
    },
  };
}
