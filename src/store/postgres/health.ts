import { errorMessage } from '../../errors.js';
import { redactUrl, redactUrlsIn } from '../../http/redact-url.js';
import type { StoreHealth } from '../store.js';
import type { PostgresDatabase } from './database.js';
import { MIGRATIONS } from './migrations.js';

/** A probe that waits longer than this counts as a failure: /healthz must answer even when the server hangs. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The store's real health: one query through the pool that reads the tables every request needs (papers and the
 * delivery ledger) and the schema version. It connects (and migrates) first if nothing has yet, so a server
 * that is down, refusing or wrongly configured shows here rather than only in the next command. `thorough`
 * (doctor) runs the same: PostgreSQL checks its own pages as it reads them.
 */
export async function probePostgresHealth(db: PostgresDatabase, url: string, schema: string | undefined): Promise<StoreHealth> {
  if (db.closed) return { ok: false, detail: 'store is closed' };
  const where = `${redactUrl(url)}${schema ? ` (schema ${schema})` : ''}`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
  });
  try {
    const [row] = await Promise.race([
      db.rows<{ version: number; papers: boolean; deliveries: boolean }>(
        `SELECT (SELECT max(version) FROM schema_migrations)::int AS version,
                EXISTS (SELECT 1 FROM papers) AS papers, EXISTS (SELECT 1 FROM deliveries) AS deliveries`,
      ),
      timeout,
    ]);
    if (!row || row.version < MIGRATIONS.length) return { ok: false, detail: `${where}: schema at version ${row?.version ?? 0}, expected ${MIGRATIONS.length}` };
    return { ok: true, detail: where };
  } catch (error) {
    return { ok: false, detail: `${where}: ${describe(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** A driver or socket error as one line: its message, else its code (Node's AggregateError has no message). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = redactUrlsIn(errorMessage(error));
  if (!message) return typeof code === 'string' ? code : 'unknown error';
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
