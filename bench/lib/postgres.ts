import pg from 'pg';
import { redactUrl } from '../../src/http/redact-url.js';

/** The server PostgreSQL tests and benchmarks use: TEST_DATABASE_URL, by default the local one. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Null when a server answers at `url`, else why not (one line, credentials redacted). */
export async function postgresUnavailable(url = TEST_DATABASE_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : error instanceof Error && error.message ? error.message : String(error);
    return `no server at ${redactUrl(url)}: ${reason}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema a test or benchmark made (its name is generated, never user text). */
export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
