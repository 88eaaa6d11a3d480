import type { DailyListing, Paper } from '../../papers/paper.js';
import type { ParsedQuery } from '../../search/query.js';
import { DOCUMENT_FREQUENCY_CAP, type AddPapersResult, type PaperStore, type SaveDayResult, type SearchHit, type SearchOptions, type SyncRecord, type UnlistedPage } from '../store.js';
import type { PostgresDatabase, Queryable } from './database.js';
import { PAPER_COLUMNS, paperValues, rowToPaper, type PaperRow } from './paper-rows.js';
import { blockLexemesSql } from './recency-blocks.js';
import { searchPaperRows } from './search.js';

/**
 * Papers, HF daily listings and the full-text vector, kept consistent inside one transaction per write; the
 * same upsert rules as sqlite/paper-store.ts. No search cache: with several processes on one database, a cache
 * here could not see the others' writes.
 */
export class PostgresPaperStore implements PaperStore {
  constructor(private readonly db: PostgresDatabase) {}

  async saveDay(day: string, listings: DailyListing[], syncedAt: Date): Promise<SaveDayResult> {
    return this.db.transaction(async (tx) => {
      const result: SaveDayResult = { papersAdded: 0, papersUpdated: 0, listingsAdded: 0 };
      const before = new Set((await tx.rows<{ paper_id: string }>('DELETE FROM daily_listings WHERE day = $1 RETURNING paper_id', [day])).map((r) => r.paper_id));
      const existing = await existingIds(tx, listings.map((listing) => listing.paper.id));
      for (const listing of listings) {
        if (await upsert(tx, listing.paper, day, syncedAt, existing)) result.papersAdded++;
        else result.papersUpdated++;
        if (!before.has(listing.paper.id)) result.listingsAdded++;
      }
      // One statement for the day's listing; a paper listed twice violates the key and rolls the day back, as in SQLite.
      await tx.run('INSERT INTO daily_listings (day, paper_id, rank) SELECT $1, l.id, l.rank FROM unnest($2::text[], $3::int[]) AS l (id, rank)', [
        day,
        listings.map((listing) => listing.paper.id),
        listings.map((listing) => listing.rank),
      ]);
      await tx.run(
        `INSERT INTO synced_days (day, papers, synced_at) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO UPDATE SET papers = excluded.papers, synced_at = excluded.synced_at`,
        [day, listings.length, syncedAt],
      );
      return result;
    });
  }

  async savePapers(papers: Paper[]): Promise<void> {
    const at = new Date();
    await this.db.transaction(async (tx) => {
      const existing = await existingIds(tx, papers.map((paper) => paper.id));
      for (const paper of papers) await upsert(tx, paper, null, at, existing);
    });
  }

  async addPapers(papers: Paper[], at: Date): Promise<AddPapersResult> {
    return this.db.transaction(async (tx) => {
      const result: AddPapersResult = { papersAdded: 0, papersKnown: 0 };
      const existing = await existingIds(tx, papers.map((paper) => paper.id));
      const known: Paper[] = [];
      for (const paper of papers) {
        // ON CONFLICT: another process stored it since `existing` was read; then it is known after all.
        const inserted = !existing.has(paper.id) && (await tx.run(INSERT_PAPER, paperValues(paper, null, at))) === 1;
        existing.set(paper.id, paper.aiKeywords);
        if (inserted) result.papersAdded++;
        else known.push(paper);
      }
      result.papersKnown = known.length;
      await tx.run(
        `UPDATE papers p SET published_at = k.published FROM unnest($1::text[], $2::text[]) AS k (id, published)
         WHERE p.id = k.id AND p.published_at IS NULL AND k.published IS NOT NULL`,
        [known.map((paper) => paper.id), known.map((paper) => paper.publishedAt)],
      );
      return result;
    });
  }

  async getPaper(id: string): Promise<Paper | null> {
    const [row] = await this.db.rows<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE id = $1`, [id]);
    return row ? rowToPaper(row) : null;
  }

  async listingsForDay(day: string, limit = 1000): Promise<DailyListing[]> {
    const rows = await this.db.rows<PaperRow & { rank: number }>(
      `SELECT ${prefixed('p')}, l.rank FROM daily_listings l JOIN papers p ON p.id = l.paper_id WHERE l.day = $1 ORDER BY l.rank LIMIT $2`,
      [day, limit],
    );
    return rows.map((row) => ({ day, rank: row.rank, paper: rowToPaper(row) }));
  }

  async latestDayWithPapers(onOrBefore: string): Promise<string | null> {
    const [row] = await this.db.rows<{ day: string }>('SELECT day FROM synced_days WHERE day <= $1 AND papers > 0 ORDER BY day DESC LIMIT 1', [onOrBefore]);
    return row?.day ?? null;
  }

  async lastSync(): Promise<SyncRecord | null> {
    // Ties (days saved by one sync) go to the earliest day, as SQLite's scan order gives them.
    const [row] = await this.db.rows<SyncRow>('SELECT day, papers, synced_at FROM synced_days ORDER BY synced_at DESC, day LIMIT 1');
    return row ? toSyncRecord(row) : null;
  }

  async syncedDays(from: string, to: string): Promise<SyncRecord[]> {
    const rows = await this.db.rows<SyncRow>('SELECT day, papers, synced_at FROM synced_days WHERE day BETWEEN $1 AND $2 ORDER BY day', [from, to]);
    return rows.map(toSyncRecord);
  }

  /**
   * Each token a GIN lookup, stopped at DOCUMENT_FREQUENCY_CAP rows: an exact count of a common word would read
   * tens of thousands of index entries, and only rarity is wanted.
   */
  async documentFrequencies(tokens: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let start = 0; start < tokens.length; start += 500) {
      const rows = await this.db.rows<{ token: string; n: number }>(
        `SELECT t.token, (SELECT count(*)::int FROM (SELECT 1 FROM papers WHERE search @@ quote_literal(t.token)::tsquery LIMIT ${DOCUMENT_FREQUENCY_CAP}) AS hit) AS n
         FROM unnest($1::text[]) AS t(token)`,
        [tokens.slice(start, start + 500)],
      );
      for (const row of rows) if (row.n > 0) counts.set(row.token, row.n);
    }
    return counts;
  }

  async countPapers(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>('SELECT count(*)::int AS n FROM papers');
    return row?.n ?? 0;
  }

  async searchPapers(query: ParsedQuery, options: SearchOptions): Promise<SearchHit[]> {
    const ranked = await searchPaperRows(this.db, query, options);
    if (ranked.length === 0) return [];
    const rows = await this.db.rows<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE rowid = ANY($1::int[])`, [ranked.map((r) => r.rowid)]);
    const byRowid = new Map(rows.map((row) => [row.rowid, row]));
    return ranked.flatMap(({ rowid, score }) => {
      const row = byRowid.get(rowid);
      return row ? [{ paper: rowToPaper(row), score, day: row.latest_day }] : [];
    });
  }

  async papersAddedSince(since: Date): Promise<Paper[]> {
    const rows = await this.db.rows<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE first_seen_at >= $1 ORDER BY first_seen_at, rowid`, [since]);
    return rows.map(rowToPaper);
  }

  async unlistedPapersAddedBetween(from: Date, to: Date, page: UnlistedPage): Promise<Paper[]> {
    const rows = await this.db.rows<PaperRow>(
      `SELECT ${PAPER_COLUMNS} FROM papers p
       WHERE p.first_seen_at >= $1 AND p.first_seen_at < $2 AND p.latest_day IS NULL AND p.published_at >= $3
         AND NOT EXISTS (SELECT 1 FROM daily_listings l WHERE l.paper_id = p.id)
       ORDER BY p.published_at DESC, p.id DESC LIMIT $4 OFFSET $5`,
      [from, to, page.publishedFrom, page.limit, page.offset],
    );
    return rows.map(rowToPaper);
  }
}

interface SyncRow {
  day: string;
  papers: number;
  synced_at: Date;
}

function toSyncRecord(row: SyncRow): SyncRecord {
  return { day: row.day, papers: row.papers, syncedAt: row.synced_at };
}

function prefixed(alias: string): string {
  return PAPER_COLUMNS.split(',').map((column) => `${alias}.${column.trim()}`).join(', ');
}

/** The stored papers among `ids`, each with its stored keywords. */
async function existingIds(tx: Queryable, ids: string[]): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.rows<{ id: string; ai_keywords: unknown }>('SELECT id, ai_keywords FROM papers WHERE id = ANY($1::text[])', [ids]);
  return new Map(rows.map((row) => [row.id, Array.isArray(row.ai_keywords) ? row.ai_keywords.filter((k): k is string => typeof k === 'string') : []]));
}

/**
 * Returns true when the paper was new. Known papers are updated without an INSERT attempt: every INSERT draws
 * a rowid, even one that ends in ON CONFLICT, and rowids must stay dense (one per paper, as in SQLite) because
 * the newest rowid stands in for the paper count in search's IDF estimate. `existing` learns each paper
 * inserted, so a paper twice in one batch is inserted once and then updated, as SQLite does.
 */
async function upsert(tx: Queryable, incoming: Paper, day: string | null, at: Date, existing: Map<string, string[]>): Promise<boolean> {
  const known = existing.get(incoming.id);
  if (known === undefined) {
    // ON CONFLICT: another process inserted it since `existing` was read; then it is an update after all.
    const inserted = (await tx.run(INSERT_PAPER, paperValues(incoming, day, at))) === 1;
    existing.set(incoming.id, incoming.aiKeywords);
    if (inserted) return true;
  }
  // Keywords a sparser endpoint omits are kept, in the row and so in the vector built from `paper`.
  const stored = existing.get(incoming.id) ?? [];
  const paper = incoming.aiKeywords.length === 0 ? { ...incoming, aiKeywords: stored } : incoming;
  existing.set(paper.id, paper.aiKeywords);
  await tx.run(UPDATE_PAPER, paperValues(paper, day, at));
  return false;
}

/**
 * The rowid is drawn here rather than by the column default, so the row's block lexemes (recency-blocks.ts) can
 * go into its vector in the same statement.
 */
const INSERT_PAPER = {
  name: 'paperboy_insert_paper',
  text: `
    INSERT INTO papers (rowid, id, title, abstract, authors, published_at, upvotes, comments, github_repo, github_stars,
      project_page, ai_summary, ai_keywords, organization, thumbnail, latest_day, first_seen_at, updated_at, search)
    OVERRIDING SYSTEM VALUE
    SELECT r.rowid, $1::text, $2::text, $3::text, $4::json, $5::text, $6::int, $7::int, $8::text, $9::int, $10::text,
      $11::text, $12::json, $13::text, $14::text, $15::text, $16::timestamptz, $16::timestamptz,
      $17::tsvector || ${blockLexemesSql('r.rowid')}
    FROM (SELECT nextval(pg_get_serial_sequence('papers', 'rowid'))::int AS rowid) AS r
    ON CONFLICT (id) DO NOTHING`,
};

/**
 * The newest fetch wins for counts; optional fields a sparser endpoint omits keep what we knew. Like SQLite's
 * index row, the vector is rewritten (from the incoming paper) only when searchable text differs from the stored
 * row; SET expressions read the row as it was before this UPDATE.
 */
const UPDATE_PAPER = {
  name: 'paperboy_update_paper',
  text: `
    UPDATE papers SET
      title = $2, abstract = $3, authors = $4::text::json,
      published_at = coalesce($5, published_at),
      upvotes = $6,
      comments = CASE WHEN $15::text IS NULL THEN greatest(comments, $7::int) ELSE $7::int END,
      github_repo = coalesce($8, github_repo),
      github_stars = coalesce($9, github_stars),
      project_page = coalesce($10, project_page),
      ai_summary = coalesce($11, ai_summary),
      ai_keywords = CASE WHEN $12::text = '[]' THEN ai_keywords ELSE $12::text::json END,
      organization = coalesce($13, organization),
      thumbnail = coalesce($14, thumbnail),
      latest_day = CASE WHEN $15::text IS NOT NULL AND (latest_day IS NULL OR $15::text > latest_day) THEN $15::text ELSE latest_day END,
      updated_at = $16,
      search = CASE
        WHEN title IS DISTINCT FROM $2 OR abstract IS DISTINCT FROM $3 OR authors::text IS DISTINCT FROM $4::text
          OR ai_keywords::text IS DISTINCT FROM $12::text
        THEN $17::tsvector || ${blockLexemesSql('rowid')} ELSE search END
    WHERE id = $1`,
};
