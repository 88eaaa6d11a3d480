import type { Database } from 'better-sqlite3';

/**
 * Versioned, append-only migrations. Each runs once, inside a transaction, and bumps `PRAGMA user_version`;
 * rerunning on an up-to-date file does nothing. Never edit a released step: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: papers, HF days, full-text index, channels, subscriptions, delivery ledger, summary cache */ `
  CREATE TABLE papers (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    abstract      TEXT NOT NULL,
    authors       TEXT NOT NULL,          -- JSON array of names
    published_at  TEXT,                   -- YYYY-MM-DD
    upvotes       INTEGER NOT NULL DEFAULT 0,
    comments      INTEGER NOT NULL DEFAULT 0,
    github_repo   TEXT,
    github_stars  INTEGER,
    project_page  TEXT,
    ai_summary    TEXT,
    ai_keywords   TEXT NOT NULL DEFAULT '[]',
    organization  TEXT,
    thumbnail     TEXT,
    latest_day    TEXT,                   -- latest HF day it was listed on
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX papers_first_seen ON papers(first_seen_at);

  -- Normalised (folded, stemmed) text written by the app, so the index and the in-memory subscription matcher
  -- share one normaliser; '_' separates list items (authors, keywords). Contentless: rowid = papers.rowid.
  CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, keywords, abstract, authors,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_'''
  );

  CREATE TABLE daily_listings (
    day       TEXT NOT NULL,
    paper_id  TEXT NOT NULL REFERENCES papers(id),
    rank      INTEGER NOT NULL,
    PRIMARY KEY (day, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX daily_listings_paper ON daily_listings(paper_id);

  CREATE TABLE synced_days (
    day        TEXT PRIMARY KEY,
    papers     INTEGER NOT NULL,
    synced_at  TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE channels (
    channel         TEXT PRIMARY KEY,    -- platform:id
    time            TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    size            INTEGER NOT NULL,
    paused          INTEGER NOT NULL DEFAULT 0,
    empty_day_note  INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    query       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (channel, query)
  );

  -- Delivery ledger: a claim row per (channel, digest key) that is never released by accident, and one row per
  -- paper posted under it: intent first (message_id NULL), then the platform's message id.
  CREATE TABLE deliveries (
    channel            TEXT NOT NULL,
    key                TEXT NOT NULL,
    parent_message_id  TEXT,
    thread_id          TEXT,
    claimed_at         TEXT NOT NULL,
    completed_at       TEXT,
    PRIMARY KEY (channel, key)
  ) WITHOUT ROWID;

  CREATE TABLE delivered_papers (
    channel     TEXT NOT NULL,
    key         TEXT NOT NULL,
    paper_id    TEXT NOT NULL,
    message_id  TEXT,
    intent_at   TEXT NOT NULL,
    posted_at   TEXT,
    PRIMARY KEY (channel, key, paper_id),
    FOREIGN KEY (channel, key) REFERENCES deliveries(channel, key) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX delivered_papers_by_paper ON delivered_papers(channel, paper_id);

  CREATE TABLE summaries (
    paper_id     TEXT NOT NULL,
    model        TEXT NOT NULL,
    prompt_hash  TEXT NOT NULL,
    summary      TEXT NOT NULL,            -- JSON Summary
    created_at   TEXT NOT NULL,
    PRIMARY KEY (paper_id, model, prompt_hash)
  ) WITHOUT ROWID;
  `,
  /* 2: a delivery's paper list is frozen in order when it is claimed, so a resumed run posts the same papers */ `
  ALTER TABLE delivered_papers ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE channels ADD COLUMN paused_reason TEXT;
  -- Small durable facts the scheduler must not forget across restarts (e.g. the subscription-alert watermark).
  CREATE TABLE app_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  /* 3: several processes on one store: a lease on each delivery, named leases, keys seen once, send slots */ `
  ALTER TABLE deliveries ADD COLUMN owner TEXT;
  ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
  CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    lease_until  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE seen_keys (
    key         TEXT PRIMARY KEY,
    expires_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE send_slots (
    key      TEXT PRIMARY KEY,
    next_at  INTEGER NOT NULL          -- epoch ms of the next free slot
  ) WITHOUT ROWID;
  `,
  /* 4: expired keys are swept on every markSeen (one per Slack request); without an index that is a full scan */ `
  CREATE INDEX seen_keys_expiry ON seen_keys (expires_at);
  `,
  /* follows: a channel waits for a paper's code, models and datasets; `version` counts claimed announcements */ `
  CREATE TABLE follows (
    channel           TEXT NOT NULL,
    paper_id          TEXT NOT NULL,
    reply_message_id  TEXT,
    reply_thread_id   TEXT,
    followed_by       TEXT NOT NULL,
    followed_at       TEXT NOT NULL,
    announced         TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX follows_by_time ON follows (followed_at);
  `,
  /* LLM tokens per workspace per UTC day: the daily token budget, counted once for every process */ `
  CREATE TABLE llm_token_usage (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    day        TEXT NOT NULL,             -- YYYY-MM-DD, UTC
    tokens     INTEGER NOT NULL,
    PRIMARY KEY (platform, workspace, day)
  ) WITHOUT ROWID;
  `,
  /* weekly digests: a channel's weekday (mon..sun) and HH:MM; both null when it has none */ `
  ALTER TABLE channels ADD COLUMN weekly_day TEXT;
  ALTER TABLE channels ADD COLUMN weekly_time TEXT;
  `,
  /* summary languages: a channel's (null: English), and the language as part of each cached summary's key */ `
  ALTER TABLE channels ADD COLUMN language TEXT;
  -- SQLite cannot change a primary key in place: the table is rebuilt, the cached summaries kept as English.
  CREATE TABLE summaries_by_language (
    paper_id     TEXT NOT NULL,
    model        TEXT NOT NULL,
    prompt_hash  TEXT NOT NULL,
    language     TEXT NOT NULL,            -- BCP-47 tag
    summary      TEXT NOT NULL,            -- JSON Summary
    created_at   TEXT NOT NULL,
    PRIMARY KEY (paper_id, model, prompt_hash, language)
  ) WITHOUT ROWID;
  INSERT INTO summaries_by_language (paper_id, model, prompt_hash, language, summary, created_at)
    SELECT paper_id, model, prompt_hash, 'en', summary, created_at FROM summaries;
  DROP TABLE summaries;
  ALTER TABLE summaries_by_language RENAME TO summaries;
  `,
  /* digest sources: a channel's daily digest from Hugging Face (hf), arXiv (arxiv) or both */ `
  ALTER TABLE channels ADD COLUMN digest_source TEXT NOT NULL DEFAULT 'hf';
  `,
  /* token document frequencies, read from the full-text index (subscription alerts pick rare words to look up) */ `
  CREATE VIRTUAL TABLE papers_vocab USING fts5vocab(papers_fts, 'row');
  `,
  /* removed subscriptions, logged by a trigger whichever statement removes them: how an alert index kept in memory
     learns which ones went without reading every id */ `
  CREATE TABLE subscription_removals (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          INTEGER NOT NULL,
    removed_at  TEXT NOT NULL
  );
  CREATE INDEX subscription_removals_at ON subscription_removals(removed_at);
  CREATE TRIGGER subscription_removed AFTER DELETE ON subscriptions BEGIN
    INSERT INTO subscription_removals (id, removed_at) VALUES (old.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  END;
  `,
];

export function migrate(db: Database): number {
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  // Immediate, and the version re-read under the write lock: two processes opening one fresh file both see
  // version 0 outside, and only the first to take the lock may run each step.
  while (readVersion() < MIGRATIONS.length) {
    db.transaction(() => {
      const version = readVersion();
      if (version >= MIGRATIONS.length) return;
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
