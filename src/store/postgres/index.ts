import type { QueryResultRow } from 'pg';
import { bindStoreParts } from '../bind-store.js';
import { PostgresFollowStore } from './follow-store.js';
import type { Store } from '../store.js';
import { PostgresChannelStore } from './channel-store.js';
import { PostgresCoordinationStore } from './coordination-store.js';
import { PostgresDatabase, type PostgresOptions } from './database.js';
import { probePostgresHealth } from './health.js';
import { PostgresDeliveryLedger } from './ledger-store.js';
import { PostgresLlmUsageStore } from './llm-usage-store.js';
import { PostgresPaperStore } from './paper-store.js';
import { PostgresStateStore } from './state-store.js';
import { PostgresSubscriptionStore } from './subscription-store.js';
import { PostgresSummaryCache } from './summary-store.js';

export type { PostgresOptions } from './database.js';

export interface PostgresStore extends Store {
  /** Runs SQL through the store's pool once it is ready, for benchmarks and tests of the SQL itself. */
  query<R extends QueryResultRow>(sql: string, values?: readonly unknown[]): Promise<R[]>;
}

/**
 * The store on a PostgreSQL server, for several processes sharing one database. Returns at once, like
 * `openSqliteStore`; the first call connects and migrates (`schema`, when given, is created and used for every
 * table), and every method waits for that. Nothing is cached in the process: what one replica writes, the
 * others read.
 */
export function openPostgresStore(url: string, options: PostgresOptions = {}): PostgresStore {
  const db = new PostgresDatabase(url, options);
  const papers = new PostgresPaperStore(db);
  const channels = new PostgresChannelStore(db);
  const subscriptions = new PostgresSubscriptionStore(db);
  const follows = new PostgresFollowStore(db);
  const ledger = new PostgresDeliveryLedger(db);
  const summaries = new PostgresSummaryCache(db);
  const coordination = new PostgresCoordinationStore(db);
  const state = new PostgresStateStore(db);
  const llmUsage = new PostgresLlmUsageStore(db);

  return {
    query: (sql, values) => db.rows(sql, values),
    ...bindStoreParts({ papers, channels, subscriptions, follows, ledger, summaries, coordination, state, llmUsage }),
    // `thorough` runs the same probe: PostgreSQL verifies the pages it reads itself.
    health: () => probePostgresHealth(db, url, options.schema),
    close: () => db.close(),
  };
}
