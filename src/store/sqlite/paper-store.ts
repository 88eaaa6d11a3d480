import type { Database } from 'better-sqlite3';
import type { DailyListing, Paper } from '../../papers/paper.js';
import type { ParsedQuery } from '../../search/query.js';
import type { AddPapersResult, PaperStore, SaveDayResult, SearchHit, SearchOptions, SyncRecord, UnlistedPage } from '../store.js';
import { ftsParams, paperParams, rowToPaper, type PaperRow } from './paper-rows.js';
import { searchPaperRows } from './search-papers.js';
import { LruCache } from '../../util/lru-cache.js';

/** Papers, HF daily listings and the full-text index, kept consistent inside one transaction per write. */
export class SqlitePaperStore implements PaperStore {
  private readonly statements: ReturnType<typeof prepare>;
  private readonly searches: LruCache<string, SearchHit[]>;

  /** `searchCacheSize` 0 turns the search cache off (benchmarks measure the search itself). */
  constructor(
    private readonly db: Database,
    searchCacheSize = 256,
  ) {
    this.statements = prepare(db);
    this.searches = new LruCache(searchCacheSize);
  }

  async saveDay(day: string, listings: DailyListing[], syncedAt: Date): Promise<SaveDayResult> {
    const at = syncedAt.toISOString();
    const s = this.statements;
    this.searches.clear();
    return this.db.transaction(() => {
      const result: SaveDayResult = { papersAdded: 0, papersUpdated: 0, listingsAdded: 0 };
      const before = new Set((s.listingIds.all(day) as { paper_id: string }[]).map((r) => r.paper_id));
      s.deleteListings.run(day);
      for (const listing of listings) {
        if (this.upsert(listing.paper, day, at)) result.papersAdded++;
        else result.papersUpdated++;
        s.insertListing.run(day, listing.paper.id, listing.rank);
        if (!before.has(listing.paper.id)) result.listingsAdded++;
      }
      s.markSynced.run(day, listings.length, at);
      return result;
    }).immediate();
  }

  async savePapers(papers: Paper[]): Promise<void> {
    const at = new Date().toISOString();
    this.searches.clear();
    this.db.transaction(() => {
      for (const paper of papers) this.upsert(paper, null, at);
    }).immediate();
  }

  async addPapers(papers: Paper[], at: Date): Promise<AddPapersResult> {
    const s = this.statements;
    const when = at.toISOString();
    this.searches.clear();
    return this.db.transaction(() => {
      const result: AddPapersResult = { papersAdded: 0, papersKnown: 0 };
      for (const paper of papers) {
        if (s.paperById.get(paper.id)) {
          s.fillPublished.run(paper.publishedAt, paper.id);
          result.papersKnown++;
        } else {
          this.insert(paper, null, when);
          result.papersAdded++;
        }
      }
      return result;
    }).immediate();
  }

  async getPaper(id: string): Promise<Paper | null> {
    const row = this.statements.paperById.get(id) as PaperRow | undefined;
    return row ? rowToPaper(row) : null;
  }

  async listingsForDay(day: string, limit = 1000): Promise<DailyListing[]> {
    const rows = this.statements.listingsForDay.all(day, limit) as (PaperRow & { rank: number })[];
    return rows.map((row) => ({ day, rank: row.rank, paper: rowToPaper(row) }));
  }

  async latestDayWithPapers(onOrBefore: string): Promise<string | null> {
    const row = this.statements.latestDay.get(onOrBefore) as { day: string } | undefined;
    return row?.day ?? null;
  }

  async lastSync(): Promise<SyncRecord | null> {
    const row = this.statements.lastSync.get() as SyncRow | undefined;
    return row ? toSyncRecord(row) : null;
  }

  async syncedDays(from: string, to: string): Promise<SyncRecord[]> {
    return (this.statements.syncedDays.all(from, to) as SyncRow[]).map(toSyncRecord);
  }

  async documentFrequencies(tokens: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const token of tokens) {
      const doc = this.statements.documentFrequency.get(token) as number | undefined;
      if (doc !== undefined) counts.set(token, doc);
    }
    return counts;
  }

  async countPapers(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }

  /**
   * Searches are cached until the next write: a burst of people searching the day's hot topic, or paging with
   * *More*, costs one ranking. Recency is blended per hour, so the key carries the hour too.
   */
  async searchPapers(query: ParsedQuery, options: SearchOptions): Promise<SearchHit[]> {
    const key = `${Math.floor(options.now.getTime() / 3_600_000)}|${options.limit}|${options.offset}|${JSON.stringify([query.clauses, query.excluded])}`;
    const cached = this.searches.get(key);
    if (cached) return cached;
    const hits = this.rankAndLoad(query, options);
    this.searches.set(key, hits);
    return hits;
  }

  private rankAndLoad(query: ParsedQuery, options: SearchOptions): SearchHit[] {
    const ranked = searchPaperRows(this.db, query, options);
    const hits: SearchHit[] = [];
    for (const { rowid, score } of ranked) {
      const row = this.statements.paperByRowid.get(rowid) as PaperRow | undefined;
      if (row) hits.push({ paper: rowToPaper(row), score, day: row.latest_day });
    }
    return hits;
  }

  async papersAddedSince(since: Date): Promise<Paper[]> {
    return (this.statements.addedSince.all(since.toISOString()) as PaperRow[]).map(rowToPaper);
  }

  async unlistedPapersAddedBetween(from: Date, to: Date, page: UnlistedPage): Promise<Paper[]> {
    const rows = this.statements.unlistedBetween.all(from.toISOString(), to.toISOString(), page.publishedFrom, page.limit, page.offset) as PaperRow[];
    return rows.map(rowToPaper);
  }

  /** Returns true when the paper was new. Rewrites its index row only when searchable text changed. */
  private upsert(incoming: Paper, day: string | null, at: string): boolean {
    const s = this.statements;
    const existing = s.paperById.get(incoming.id) as PaperRow | undefined;
    // Keywords a sparser endpoint omits are kept, in the row and so in the index row built from `paper`.
    const paper = existing && incoming.aiKeywords.length === 0 ? { ...incoming, aiKeywords: JSON.parse(existing.ai_keywords) as string[] } : incoming;
    if (!existing) {
      this.insert(paper, day, at);
      return true;
    }
    const params = paperParams(paper, day, at);
    s.updatePaper.run(params);
    const searchableChanged =
      existing.title !== paper.title ||
      existing.abstract !== paper.abstract ||
      existing.authors !== params.authors ||
      existing.ai_keywords !== params.ai_keywords;
    if (searchableChanged) {
      s.deleteFts.run(existing.rowid);
      s.insertFts.run(ftsParams(existing.rowid, paper));
    }
    return false;
  }

  private insert(paper: Paper, day: string | null, at: string): void {
    const { lastInsertRowid } = this.statements.insertPaper.run(paperParams(paper, day, at));
    this.statements.insertFts.run(ftsParams(Number(lastInsertRowid), paper));
  }
}

interface SyncRow {
  day: string;
  papers: number;
  synced_at: string;
}

function toSyncRecord(row: SyncRow): SyncRecord {
  return { day: row.day, papers: row.papers, syncedAt: new Date(row.synced_at) };
}

function prepare(db: Database) {
  return {
    paperById: db.prepare('SELECT * FROM papers WHERE id = ?'),
    paperByRowid: db.prepare('SELECT * FROM papers WHERE rowid = ?'),
    insertPaper: db.prepare(`
      INSERT INTO papers (id, title, abstract, authors, published_at, upvotes, comments, github_repo, github_stars,
        project_page, ai_summary, ai_keywords, organization, thumbnail, latest_day, first_seen_at, updated_at)
      VALUES (:id, :title, :abstract, :authors, :published_at, :upvotes, :comments, :github_repo, :github_stars,
        :project_page, :ai_summary, :ai_keywords, :organization, :thumbnail, :day, :at, :at)`),
    // The newest fetch wins for counts; optional fields a sparser endpoint omits keep what we knew.
    updatePaper: db.prepare(`
      UPDATE papers SET
        title = :title, abstract = :abstract, authors = :authors,
        published_at = coalesce(:published_at, published_at),
        upvotes = :upvotes,
        comments = CASE WHEN :day IS NULL THEN max(comments, :comments) ELSE :comments END,
        github_repo = coalesce(:github_repo, github_repo),
        github_stars = coalesce(:github_stars, github_stars),
        project_page = coalesce(:project_page, project_page),
        ai_summary = coalesce(:ai_summary, ai_summary),
        ai_keywords = CASE WHEN :ai_keywords = '[]' THEN ai_keywords ELSE :ai_keywords END,
        organization = coalesce(:organization, organization),
        thumbnail = coalesce(:thumbnail, thumbnail),
        latest_day = CASE WHEN :day IS NOT NULL AND (latest_day IS NULL OR :day > latest_day) THEN :day ELSE latest_day END,
        updated_at = :at
      WHERE id = :id`),
    fillPublished: db.prepare('UPDATE papers SET published_at = ? WHERE id = ? AND published_at IS NULL'),
    insertFts: db.prepare('INSERT INTO papers_fts (rowid, title, keywords, abstract, authors) VALUES (:rowid, :title, :keywords, :abstract, :authors)'),
    deleteFts: db.prepare('DELETE FROM papers_fts WHERE rowid = ?'),
    listingIds: db.prepare('SELECT paper_id FROM daily_listings WHERE day = ?'),
    deleteListings: db.prepare('DELETE FROM daily_listings WHERE day = ?'),
    insertListing: db.prepare('INSERT INTO daily_listings (day, paper_id, rank) VALUES (?, ?, ?)'),
    markSynced: db.prepare(`
      INSERT INTO synced_days (day, papers, synced_at) VALUES (?, ?, ?)
      ON CONFLICT (day) DO UPDATE SET papers = excluded.papers, synced_at = excluded.synced_at`),
    listingsForDay: db.prepare(`
      SELECT p.*, l.rank FROM daily_listings l JOIN papers p ON p.id = l.paper_id
      WHERE l.day = ? ORDER BY l.rank LIMIT ?`),
    latestDay: db.prepare('SELECT day FROM synced_days WHERE day <= ? AND papers > 0 ORDER BY day DESC LIMIT 1'),
    lastSync: db.prepare('SELECT * FROM synced_days ORDER BY synced_at DESC LIMIT 1'),
    syncedDays: db.prepare('SELECT * FROM synced_days WHERE day BETWEEN ? AND ? ORDER BY day'),
    count: db.prepare('SELECT count(*) AS n FROM papers'),
    // fts5vocab answers from the index's own term list, exactly and without reading a paper row; a common word's
    // count still reads its whole posting list (up to a few ms), so callers ask for a few tokens at a time.
    documentFrequency: db.prepare('SELECT doc FROM papers_vocab WHERE term = ?').pluck(),
    addedSince: db.prepare('SELECT * FROM papers WHERE first_seen_at >= ? ORDER BY first_seen_at, rowid'),
    unlistedBetween: db.prepare(`
      SELECT * FROM papers p
      WHERE p.first_seen_at >= ? AND p.first_seen_at < ? AND p.latest_day IS NULL AND p.published_at >= ?
        AND NOT EXISTS (SELECT 1 FROM daily_listings l WHERE l.paper_id = p.id)
      ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?`),
  };
}
