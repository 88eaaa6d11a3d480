import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { errorMessage, PaperboyError } from '../../errors.js';
import type { Store } from '../store.js';
import { SqliteChannelStore } from './channel-store.js';
import { SqliteCoordinationStore } from './coordination-store.js';
import { SqliteDeliveryLedger } from './ledger-store.js';
import { probeSqliteHealth } from './health-probe.js';
import { migrate } from './migrations.js';
import { SqlitePaperStore } from './paper-store.js';
import { SqliteSubscriptionStore } from './subscription-store.js';
import { SqliteSummaryCache } from './summary-store.js';

export interface SqliteStore extends Store {
  /** The underlying handle, for benchmarks and tests of the SQL itself. */
  readonly db: Database;
}

export interface SqliteStoreOptions {
  /** Searches remembered until the next write (default 256; 0 = off). */
  searchCacheSize?: number;
}

/** Opens (creating on first run) the SQLite file at `path`; `:memory:` gives a throwaway store. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is durable across process crashes (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads of the full-text index straight from the page cache: measured p95 3.2 → 2.3 ms at 100k papers.
  db.pragma('mmap_size = 268435456');
  migrate(db);

  const papers = new SqlitePaperStore(db, options.searchCacheSize);
  const channels = new SqliteChannelStore(db);
  const subscriptions = new SqliteSubscriptionStore(db);
  const ledger = new SqliteDeliveryLedger(db);
  const summaries = new SqliteSummaryCache(db);
  const coordination = new SqliteCoordinationStore(db);
  const getState = db.prepare('SELECT value FROM app_state WHERE key = ?');
  const setState = db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  return {
    db,
    saveDay: papers.saveDay.bind(papers),
    savePapers: papers.savePapers.bind(papers),
    getPaper: papers.getPaper.bind(papers),
    listingsForDay: papers.listingsForDay.bind(papers),
    latestDayWithPapers: papers.latestDayWithPapers.bind(papers),
    lastSync: papers.lastSync.bind(papers),
    syncedDays: papers.syncedDays.bind(papers),
    countPapers: papers.countPapers.bind(papers),
    searchPapers: papers.searchPapers.bind(papers),
    papersAddedSince: papers.papersAddedSince.bind(papers),
    getChannelSettings: channels.getChannelSettings.bind(channels),
    saveChannelSettings: channels.saveChannelSettings.bind(channels),
    listChannelSettings: channels.listChannelSettings.bind(channels),
    addSubscription: subscriptions.addSubscription.bind(subscriptions),
    removeSubscriptions: subscriptions.removeSubscriptions.bind(subscriptions),
    listSubscriptions: subscriptions.listSubscriptions.bind(subscriptions),
    acquireDelivery: ledger.acquireDelivery.bind(ledger),
    renewDelivery: ledger.renewDelivery.bind(ledger),
    getDelivery: ledger.getDelivery.bind(ledger),
    recordParent: ledger.recordParent.bind(ledger),
    recordIntents: ledger.recordIntents.bind(ledger),
    incompleteDeliveries: ledger.incompleteDeliveries.bind(ledger),
    recordPosted: ledger.recordPosted.bind(ledger),
    completeDelivery: ledger.completeDelivery.bind(ledger),
    releaseDelivery: ledger.releaseDelivery.bind(ledger),
    receivedPaperIds: ledger.receivedPaperIds.bind(ledger),
    acquireLease: coordination.acquireLease.bind(coordination),
    releaseLease: coordination.releaseLease.bind(coordination),
    markSeen: coordination.markSeen.bind(coordination),
    reserveSlot: coordination.reserveSlot.bind(coordination),
    getSummary: summaries.getSummary.bind(summaries),
    putSummary: summaries.putSummary.bind(summaries),
    async getState(key: string) {
      return (getState.get(key) as { value: string } | undefined)?.value ?? null;
    },
    async setState(key: string, value: string) {
      setState.run(key, value);
    },
    async health(options = {}) {
      return probeSqliteHealth(db, path, options.thorough ?? false);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

/** Opens the store named by DATABASE_URL (SQLite path today; `postgres://` is reserved for a later store). */
export function openStore(databaseUrl: string): SqliteStore {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error('DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file path such as ./data/paperboy.db');
  }
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  try {
    return openSqliteStore(path);
  } catch (error) {
    const line = `DATABASE_URL=${path} could not be opened: ${errorMessage(error)}`;
    throw new PaperboyError('store_open_failed', line, { cause: error, userMessage: line });
  }
}
