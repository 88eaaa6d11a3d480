import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/index.js';
import { MIGRATIONS as PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { dropSchema, freshSchemaName, POSTGRES_SKIP, TEST_DATABASE_URL } from './support/stores.js';

// Found by what it does, not its number: the lead renumbers migrations when branches merge.
const byLanguage = (migrations: readonly string[]) => migrations.findIndex((sql) => /ALTER TABLE channels ADD COLUMN language/i.test(sql));
const summary = { tldr: 'Cached before languages.', keyPoints: ['a'], whyItMatters: null, source: 'llm' as const, model: 'm1' };
const key = { paperId: '2605.00001', model: 'm1', promptHash: 'h1' };

describe('the summary-language migration keeps the summaries already cached, as English', () => {
  it('on SQLite', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-lang-')), 'paperboy.db');
    const before = byLanguage(MIGRATIONS);
    expect(before).toBeGreaterThan(0);
    const old = new Database(path);
    for (const sql of MIGRATIONS.slice(0, before)) old.exec(sql);
    old.pragma(`user_version = ${before}`);
    old.prepare('INSERT INTO summaries (paper_id, model, prompt_hash, summary, created_at) VALUES (?, ?, ?, ?, ?)').run(key.paperId, key.model, key.promptHash, JSON.stringify(summary), '2026-05-18T00:00:00.000Z');
    old.close();

    const store = openSqliteStore(path);
    try {
      expect(await store.getSummary({ ...key, language: 'en' })).toEqual(summary);
      expect(await store.getSummary({ ...key, language: 'de' })).toBeNull();
      await store.putSummary({ ...key, language: 'de' }, { ...summary, tldr: 'Auf Deutsch.' }, new Date());
      expect((await store.getSummary({ ...key, language: 'de' }))?.tldr).toBe('Auf Deutsch.');
      expect(await store.getSummary({ ...key, language: 'en' })).toEqual(summary);
    } finally {
      await store.close();
    }
  });

  it.skipIf(POSTGRES_SKIP)('on PostgreSQL', async () => {
    const schema = freshSchemaName();
    const before = byLanguage(PG_MIGRATIONS);
    expect(before).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const [index, sql] of PG_MIGRATIONS.slice(0, before).entries()) {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
      }
      await client.query('INSERT INTO summaries (paper_id, model, prompt_hash, summary, created_at) VALUES ($1, $2, $3, $4::json, now())', [key.paperId, key.model, key.promptHash, JSON.stringify(summary)]);
    } finally {
      await client.end();
    }
    const store = openPostgresStore(TEST_DATABASE_URL, { schema, max: 1 });
    try {
      expect(await store.getSummary({ ...key, language: 'en' })).toEqual(summary);
      await store.putSummary({ ...key, language: 'de' }, { ...summary, tldr: 'Auf Deutsch.' }, new Date());
      expect((await store.getSummary({ ...key, language: 'de' }))?.tldr).toBe('Auf Deutsch.');
      expect(await store.getSummary({ ...key, language: 'en' })).toEqual(summary);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
