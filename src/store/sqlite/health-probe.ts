import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { errorMessage } from '../../errors.js';
import type { StoreHealth } from '../store.js';

/** Tables whose first pages every probe reads: the schema, papers and the delivery ledger. */
const PROBES = ['SELECT count(*) FROM sqlite_master', 'SELECT 1 FROM papers LIMIT 1', 'SELECT 1 FROM deliveries LIMIT 1'];

/**
 * The store's real health. The long-lived connection is not enough: in WAL mode it keeps its page cache while
 * the wal-index is unchanged, so it goes on answering after the file was overwritten or deleted underneath it.
 * A fresh read-only connection (about 1 ms) reads the file as a restart would.
 */
export function probeSqliteHealth(db: Database, path: string, thorough = false): StoreHealth {
  if (!db.open) return { ok: false, detail: 'store is closed' };
  try {
    db.prepare('SELECT 1').get();
    if (path === ':memory:') return { ok: true, detail: 'in memory' };
    const fresh = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    try {
      for (const sql of PROBES) fresh.prepare(sql).get();
      if (thorough) {
        const problems = fresh.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
        const found = problems.map((row) => row.quick_check).filter((text) => text !== 'ok');
        if (found.length > 0) return { ok: false, detail: `${path} is corrupt: ${found.join('; ').slice(0, 300)}` };
      }
    } finally {
      fresh.close();
    }
    return { ok: true, detail: path };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') return { ok: false, detail: `${path} is missing (deleted while running?)` };
    return { ok: false, detail: `${path}: ${errorMessage(error)}${code ? ` (${code})` : ''}` };
  }
}
