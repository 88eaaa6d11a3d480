import type { Database, Statement } from 'better-sqlite3';
import type { ParsedQuery } from '../../search/query.js';
import { IDF_SAMPLE, idfSampleTerms, rankCandidates, searchPage, type IdfSample, type RankedRow } from '../../search/rank-candidates.js';
import type { SearchOptions } from '../store.js';
import { ftsTerm, toFtsMatch } from './fts-query.js';

export type { RankedRow } from '../../search/rank-candidates.js';

/**
 * Full-text search over `papers_fts`: the SQL half of search/rank-candidates.ts, which ranks what this fetches.
 *
 * Candidates are picked inside the FTS table (`ORDER BY rowid DESC LIMIT`, which FTS5 answers by walking its
 * doclists and stopping early) and only then joined to `papers`. Rowids grow as papers are first saved, so the
 * window is "most recently synced"; a backfill of old days only shifts which matches are candidates. IDF samples
 * walk newest-first too, so a common word costs no more than a rare one (a `rowid >` range does not: FTS5 then
 * walks the whole doclist).
 *
 * Why not FTS5's bm25(): it computes IDF by scanning every row containing each phrase, so a query with one
 * common word costs a full doclist walk (at 100k papers: "language model" 40 ms, p95 of a realistic query set
 * 33 ms); this costs a bounded window instead (see `npm run bench -- search`).
 */
export function searchPaperRows(db: Database, query: ParsedQuery, options: SearchOptions): RankedRow[] {
  const match = toFtsMatch(query);
  const page = searchPage(options);
  if (match === null || page === null) return [];

  const s = statementsFor(db);
  const candidates = (s.candidates.all(match, page.window) as CandidateRow[]).map(([rowid, title, keywords, day, upvotes]) => ({
    rowid,
    title,
    keywords: { json: keywords },
    day,
    upvotes,
  }));
  if (candidates.length === 0) return [];
  const terms = idfSampleTerms(query);
  const newest = terms.length > 0 ? ((s.maxRowid.get() as number | null) ?? 0) : 0;
  const samples = terms.map((term): IdfSample => {
    const [containing, oldest] = s.sampleMatches.get(ftsTerm(term), IDF_SAMPLE) as [number, number | null];
    return { term, containing, oldest };
  });
  return rankCandidates(query, candidates, { newest, samples }, page, options.now);
}

/** rowid, title, ai_keywords, day, upvotes: as an array, which better-sqlite3 builds faster than a named row. */
type CandidateRow = [number, string, string, string | null, number];

interface Statements {
  candidates: Statement;
  maxRowid: Statement;
  sampleMatches: Statement;
}

const cache = new WeakMap<Database, Statements>();

function statementsFor(db: Database): Statements {
  let statements = cache.get(db);
  if (!statements) {
    statements = {
      candidates: db
        .prepare(`
        SELECT p.rowid AS rowid, p.title, p.ai_keywords, coalesce(p.latest_day, p.published_at) AS day, p.upvotes
        FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS c
        JOIN papers AS p ON p.rowid = c.rowid`)
        .raw(),
      maxRowid: db.prepare('SELECT max(rowid) FROM papers').pluck(),
      sampleMatches: db
        .prepare('SELECT count(*), min(rowid) FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)')
        .raw(),
    };
    cache.set(db, statements);
  }
  return statements;
}
