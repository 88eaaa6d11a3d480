/**
 * The store back ends shared tests run against: SQLite (in memory) always, PostgreSQL when TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) answers. Each PostgreSQL store gets a fresh schema, dropped
 * when it closes, so test files can run in parallel on one database. Without a server the PostgreSQL cases are
 * skipped, with the reason printed once.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { dropSchema, postgresUnavailable, TEST_DATABASE_URL } from '../../bench/lib/postgres.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

export { dropSchema, TEST_DATABASE_URL };

export type BackendName = 'SQLite' | 'PostgreSQL';

export interface TestStore extends Store {
  backend: BackendName;
  /** Rows in one of the back end's tables (a fixed name from the test, never user text). */
  countRows(table: string): Promise<number>;
}

export interface StoreBackend {
  name: BackendName;
  /** Why this back end cannot run here (its tests are skipped with this reason), or null. */
  skip: string | null;
  /** The tables one saved day writes to, index included, for "a rerun adds no rows" checks. */
  dayTables: readonly string[];
  open(): TestStore;
}

const sqlite: StoreBackend = {
  name: 'SQLite',
  skip: null,
  dayTables: ['papers', 'papers_fts', 'daily_listings', 'synced_days'],
  open: () => sqliteTestStore(openSqliteStore(':memory:')),
};

function sqliteTestStore(store: SqliteStore): TestStore {
  return Object.assign(store, {
    backend: 'SQLite' as const,
    countRows: async (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  });
}

function postgres(skip: string | null): StoreBackend {
  return {
    name: 'PostgreSQL',
    skip,
    // The full-text index is a column of `papers`.
    dayTables: ['papers', 'daily_listings', 'synced_days'],
    open: () => postgresTestStore(freshSchemaName()),
  };
}

/** A schema name no other test uses: `paperboy_test_<random>`. */
export function freshSchemaName(): string {
  return `paperboy_test_${randomBytes(6).toString('hex')}`;
}

function postgresTestStore(schema: string): TestStore {
  const store: PostgresStore = openPostgresStore(TEST_DATABASE_URL, { schema, max: 4 });
  let closing: Promise<void> | null = null;
  return {
    ...store,
    backend: 'PostgreSQL',
    countRows: async (table) => (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n,
    close: () => (closing ??= store.close().then(() => dropSchema(schema))),
  };
}

/** Probed once per process (test files share a worker), and the skip reason printed once. */
const PROBE = Symbol.for('paperboy.test.postgresProbe');
const shared = globalThis as { [PROBE]?: Promise<string | null> };
const postgresSkip = await (shared[PROBE] ??= postgresUnavailable(TEST_DATABASE_URL).then((skip) => {
  if (skip) console.log(`PostgreSQL tests skipped: ${skip}`);
  return skip;
}));

export const STORE_BACKENDS: readonly StoreBackend[] = [sqlite, postgres(postgresSkip)];

/** `[name, backend]` pairs for `describe.each(EACH_BACKEND)('%s …', (_, backend) => …)`. */
export const EACH_BACKEND = STORE_BACKENDS.map((backend) => [backend.name, backend] as const);

export const POSTGRES_SKIP = postgresSkip;

/**
 * Call inside a per-back-end describe: skips each test (with the reason) when the back end is unavailable, and
 * closes every store the test opened (dropping PostgreSQL schemas). Returns the opener.
 */
export function useBackend(backend: StoreBackend): () => TestStore {
  let opened: TestStore[] = [];
  beforeEach((ctx) => {
    if (backend.skip) ctx.skip(backend.skip);
  });
  afterEach(async () => {
    const closing = opened;
    opened = [];
    await Promise.all(closing.map((store) => store.close()));
  });
  return () => {
    const store = backend.open();
    opened.push(store);
    return store;
  };
}
