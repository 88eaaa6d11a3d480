import type { Queryable } from './database.js';

/**
 * Versioned, append-only migrations, the PostgreSQL twin of sqlite/migrations.ts. Each runs once and is recorded
 * in `schema_migrations`; never edit a released step: add a new one.
 *
 * Differences from SQLite, on purpose: timestamps are `timestamptz`; JSON columns are `json` (kept verbatim, so
 * `ai_keywords::text` is byte-for-byte what SQLite stores and ranking reads the same text); the full-text index
 * is a `tsvector` column written by the app (store/postgres/search-vector.ts) with a GIN index, and `rowid` is an
 * identity column standing in for SQLite's rowid (insert order, newest first). Text keys that are sorted or
 * compared use the "C" collation, which orders by code point as SQLite does whatever the server's locale.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: papers, HF days, full-text index, channels, subscriptions, delivery ledger with leases, summary cache,
        app state, named leases, keys seen once, send slots (SQLite's migrations 1–3 in one step) */ `
  CREATE TABLE papers (
    rowid          integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    id             text COLLATE "C" PRIMARY KEY,
    title          text NOT NULL,
    abstract       text NOT NULL,
    authors        json NOT NULL,               -- array of names
    published_at   text COLLATE "C",            -- YYYY-MM-DD
    upvotes        integer NOT NULL DEFAULT 0,
    comments       integer NOT NULL DEFAULT 0,
    github_repo    text,
    github_stars   integer,
    project_page   text,
    ai_summary     text,
    ai_keywords    json NOT NULL DEFAULT '[]',
    organization   text,
    thumbnail      text,
    latest_day     text COLLATE "C",            -- latest HF day it was listed on
    first_seen_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    -- The normalised tokens SQLite's papers_fts holds, with positions and a weight per field (title A,
    -- keywords B, abstract C, authors D), plus lexemes for word pairs, author names and rowid blocks
    -- (search-vector.ts, recency-blocks.ts).
    search         tsvector NOT NULL
  -- Free room on each page, so some of a sync's updates of known papers are HOT, writing no index entries (15 of
  -- 50 when a day of 50 papers is saved again).
  ) WITH (fillfactor = 80);
  CREATE INDEX papers_first_seen ON papers (first_seen_at);
  -- fastupdate off: every search reads the index itself rather than also a pending list that grows between
  -- vacuums; writes are a daily sync's few hundred rows, so paying for the index at write time is cheap.
  CREATE INDEX papers_search ON papers USING gin (search) WITH (fastupdate = off);

  CREATE TABLE daily_listings (
    day       text COLLATE "C" NOT NULL,
    paper_id  text COLLATE "C" NOT NULL REFERENCES papers (id),
    rank      integer NOT NULL,
    PRIMARY KEY (day, paper_id)
  );
  CREATE INDEX daily_listings_paper ON daily_listings (paper_id);

  CREATE TABLE synced_days (
    day        text COLLATE "C" PRIMARY KEY,
    papers     integer NOT NULL,
    synced_at  timestamptz NOT NULL
  );

  CREATE TABLE channels (
    channel         text COLLATE "C" PRIMARY KEY,  -- platform:id
    time            text NOT NULL,
    time_zone       text NOT NULL,
    size            integer NOT NULL,
    paused          boolean NOT NULL DEFAULT false,
    empty_day_note  boolean NOT NULL DEFAULT false,
    paused_reason   text
  );

  CREATE TABLE subscriptions (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel     text COLLATE "C" NOT NULL,
    query       text COLLATE "C" NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (channel, query)
  );

  -- Delivery ledger: a claim row per (channel, digest key) with its owner's lease, and one row per paper posted
  -- under it: intent first (message_id NULL, position frozen), then the platform's message id.
  CREATE TABLE deliveries (
    channel            text COLLATE "C" NOT NULL,
    key                text COLLATE "C" NOT NULL,
    parent_message_id  text,
    thread_id          text,
    claimed_at         timestamptz NOT NULL,
    completed_at       timestamptz,
    owner              text,
    lease_until        timestamptz,
    PRIMARY KEY (channel, key)
  );
  CREATE INDEX deliveries_incomplete ON deliveries (claimed_at) WHERE completed_at IS NULL;

  CREATE TABLE delivered_papers (
    channel     text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    paper_id    text COLLATE "C" NOT NULL,
    message_id  text,
    intent_at   timestamptz NOT NULL,
    posted_at   timestamptz,
    position    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, key, paper_id),
    FOREIGN KEY (channel, key) REFERENCES deliveries (channel, key) ON DELETE CASCADE
  );
  CREATE INDEX delivered_papers_by_paper ON delivered_papers (channel, paper_id);

  CREATE TABLE summaries (
    paper_id     text COLLATE "C" NOT NULL,
    model        text COLLATE "C" NOT NULL,
    prompt_hash  text COLLATE "C" NOT NULL,
    summary      json NOT NULL,                 -- Summary
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (paper_id, model, prompt_hash)
  );

  -- Small durable facts the scheduler must not forget across restarts (e.g. the subscription-alert watermark).
  CREATE TABLE app_state (
    key    text COLLATE "C" PRIMARY KEY,
    value  text NOT NULL
  );

  CREATE TABLE leases (
    name         text COLLATE "C" PRIMARY KEY,
    owner        text NOT NULL,
    lease_until  timestamptz NOT NULL
  );
  CREATE TABLE seen_keys (
    key         text COLLATE "C" PRIMARY KEY,
    expires_at  timestamptz NOT NULL
  );
  CREATE INDEX seen_keys_expiry ON seen_keys (expires_at);
  -- Epoch milliseconds as float8, so they come back as JS numbers, exact below 2^53, as the API hands them out.
  CREATE TABLE send_slots (
    key      text COLLATE "C" PRIMARY KEY,
    next_at  double precision NOT NULL
  );
  `,
  /* follows: a channel waits for a paper's code, models and datasets; `version` counts claimed announcements */ `
  CREATE TABLE follows (
    channel           text COLLATE "C" NOT NULL,
    paper_id          text COLLATE "C" NOT NULL,
    reply_message_id  text,
    reply_thread_id   text,
    followed_by       text NOT NULL,
    followed_at       timestamptz NOT NULL,
    announced         text NOT NULL,
    version           integer NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, paper_id)
  );
  CREATE INDEX follows_by_time ON follows (followed_at);
  `,
  /* LLM tokens per workspace per UTC day: the daily token budget, counted once for every replica */ `
  CREATE TABLE llm_token_usage (
    platform   text COLLATE "C" NOT NULL,
    workspace  text COLLATE "C" NOT NULL,
    day        text COLLATE "C" NOT NULL,   -- YYYY-MM-DD, UTC
    tokens     bigint NOT NULL,
    PRIMARY KEY (platform, workspace, day)
  );
  `,
  /* weekly digests: a channel's weekday (mon..sun) and HH:MM; both null when it has none */ `
  ALTER TABLE channels ADD COLUMN weekly_day text;
  ALTER TABLE channels ADD COLUMN weekly_time text;
  `,
  /* summary languages: a channel's (null: English), and the language as part of each cached summary's key */ `
  ALTER TABLE channels ADD COLUMN language text;
  ALTER TABLE summaries ADD COLUMN language text COLLATE "C" NOT NULL DEFAULT 'en';
  ALTER TABLE summaries ALTER COLUMN language DROP DEFAULT;
  ALTER TABLE summaries DROP CONSTRAINT summaries_pkey;
  ALTER TABLE summaries ADD PRIMARY KEY (paper_id, model, prompt_hash, language);
  `,
  /* digest sources: a channel's daily digest from Hugging Face (hf), arXiv (arxiv) or both */ `
  ALTER TABLE channels ADD COLUMN digest_source text NOT NULL DEFAULT 'hf';
  `,
  /* removed subscriptions, logged by a trigger whichever statement removes them: how an alert index kept in memory
     learns which ones went without reading every id */ `
  CREATE TABLE subscription_removals (
    seq         bigserial PRIMARY KEY,
    id          bigint NOT NULL,
    removed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE INDEX subscription_removals_at ON subscription_removals (removed_at);
  CREATE FUNCTION note_subscription_removal() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    INSERT INTO subscription_removals (id) VALUES (OLD.id);
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER subscription_removed AFTER DELETE ON subscriptions FOR EACH ROW EXECUTE FUNCTION note_subscription_removal();
  `,
];

/** Any fixed number: with the schema's hash it names the advisory lock that migrating processes queue on. */
const MIGRATION_LOCK_CLASS = 0x70617065; // "pape"

/**
 * Brings the schema up to date in one transaction. Two processes starting at once queue on a transaction-scoped
 * advisory lock (released by COMMIT or ROLLBACK, even if the process dies), so the second finds the work done.
 * Returns the schema version.
 */
export async function migrate(db: Queryable, schema: string | null): Promise<number> {
  await db.run('BEGIN');
  try {
    await db.run('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [MIGRATION_LOCK_CLASS, schema ?? '']);
    // `schema` matched /^[a-z_][a-z0-9_]*$/ in database.ts: safe as an identifier.
    if (schema) await db.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await db.run(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const [row] = await db.rows<{ version: number }>('SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations');
    for (let version = row?.version ?? 0; version < MIGRATIONS.length; version++) {
      await db.run(MIGRATIONS[version]!);
      await db.run('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return MIGRATIONS.length;
}
