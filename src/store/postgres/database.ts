import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { migrate } from './migrations.js';

/** A statement: SQL text, or text with a name so each connection prepares it once (hot writes only). */
export type Sql = string | { name: string; text: string };

/** What the store parts run SQL through: the pool, or one client inside a transaction. */
export interface Queryable {
  /** Rows, typed by the caller's row interface (node-postgres parses int4, float8, timestamptz, json). */
  rows<R extends QueryResultRow>(sql: Sql, values?: readonly unknown[]): Promise<R[]>;
  /** How many rows the statement inserted, updated or deleted. */
  run(sql: Sql, values?: readonly unknown[]): Promise<number>;
}

export interface PostgresOptions {
  /** Schema for every table (created when missing); default: the server's search_path, usually `public`. */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
}

/** Lower-case identifiers only, so the name goes into SQL and the startup `search_path` without quoting rules. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One pool, connected lazily: the store is returned synchronously (like the SQLite one), and the first query
 * waits for the connection and the migrations. A failed start is forgotten, so a store opened while the server
 * was still starting recovers on a later call instead of failing for the life of the process.
 */
export class PostgresDatabase implements Queryable {
  private pool: Promise<Pool> | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly options: PostgresOptions = {},
  ) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new Error(`PostgreSQL schema name ${JSON.stringify(options.schema)}: use lower-case letters, digits and _`);
    }
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  /** The pool once connected and migrated; starts that on first use. */
  ready(): Promise<Pool> {
    if (this.closing) return Promise.reject(new Error('store is closed'));
    this.pool ??= this.start().catch((error: unknown) => {
      this.pool = null;
      throw error;
    });
    return this.pool;
  }

  async rows<R extends QueryResultRow>(sql: Sql, values: readonly unknown[] = []): Promise<R[]> {
    const pool = await this.ready();
    return (await pool.query<R>(statement(sql, values))).rows;
  }

  async run(sql: Sql, values: readonly unknown[] = []): Promise<number> {
    const pool = await this.ready();
    return (await pool.query(statement(sql, values))).rowCount ?? 0;
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await (await this.ready()).connect();
    let broken: unknown = undefined;
    try {
      await client.query('BEGIN');
      const result = await work(clientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw error;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: dropped rather than reused.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const pool = await this.pool?.catch(() => null);
      await pool?.end();
    })();
    return this.closing;
  }

  private async start(): Promise<Pool> {
    // Loaded here, not at the top: a SQLite deployment never pays for parsing node-postgres.
    const { default: pg } = await import('pg');
    const schema = this.options.schema;
    const pool = new pg.Pool({
      connectionString: this.url,
      max: this.options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      ...(schema ? { options: withSearchPath(this.url, schema) } : {}),
    });
    // An idle connection the server drops (restart, failover) is reported here; without a listener Node would
    // crash the process. The pool has already discarded it, and the next query opens a fresh one.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migrate(clientQueryable(client), schema ?? null);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return pool;
  }
}

/** The URL's own `options` startup parameter (if any), plus the schema as the search_path. */
function withSearchPath(url: string, schema: string): string {
  let fromUrl: string | null = null;
  try {
    fromUrl = new URL(url).searchParams.get('options');
  } catch {
    // Not a URL node-postgres would accept either: it reports that on connecting.
  }
  return [fromUrl, `-c search_path=${schema}`].filter(Boolean).join(' ');
}

function clientQueryable(client: PoolClient): Queryable {
  return {
    rows: async <R extends QueryResultRow>(sql: Sql, values: readonly unknown[] = []) => (await client.query<R>(statement(sql, values))).rows,
    run: async (sql: Sql, values: readonly unknown[] = []) => (await client.query(statement(sql, values))).rowCount ?? 0,
  };
}

function statement(sql: Sql, values: readonly unknown[]) {
  return typeof sql === 'string' ? { text: sql, values: [...values] } : { name: sql.name, text: sql.text, values: [...values] };
}
