import type { Database, Statement } from 'better-sqlite3';
import type { ParsedQuery } from '../../search/query.js';
import { blendScore } from '../../search/rank.js';
import { inverseDocumentFrequency, prepareRelevance, scoringTerms } from '../../search/relevance.js';
import { termKey } from '../../search/parse.js';
import type { SearchOptions } from '../store.js';
import { ftsTerm, toFtsMatch } from './fts-query.js';

export interface RankedRow {
  rowid: number;
  /** Blended score, higher is better: relevance × recency × upvotes (search/rank.ts). */
  score: number;
  /** Field-weighted text relevance before blending (search/relevance.ts). */
  relevance: number;
}

/**
 * Full-text search over `papers_fts`, in three cheap steps:
 *
 * 1. Candidates: the newest `window` matches, picked inside the FTS table (`ORDER BY rowid DESC LIMIT`, which
 *    FTS5 answers by walking its doclists and stopping early) and only then joined to `papers` (DESIGN §8).
 *    A query with fewer matches than the window gets all of them, so narrow queries are ranked exactly; a
 *    broad one ("diffusion", tens of thousands of matches) is ranked among its most recent matches, which is
 *    where "newest-relevant first" puts its first pages anyway. Rowids grow as papers are first saved, so the
 *    window is "most recently synced"; a backfill of old days only shifts which matches are candidates.
 * 2. IDF per scoring term, estimated from its newest IDF_SAMPLE matches (only when the query has several terms;
 *    with one term IDF cannot change the order).
 * 3. Relevance (field-weighted BM25 on title and keywords, search/relevance.ts), blended with recency and
 *    upvotes (search/rank.ts), sorted, paged.
 *
 * Why not FTS5's bm25(): it computes IDF by scanning every row containing each phrase, so a query with one
 * common word costs a full doclist walk (at 100k papers: "language model" 40 ms, p95 of a realistic query set
 * 33 ms); this costs a bounded window instead (see `npm run bench -- search`).
 */
export function searchPaperRows(db: Database, query: ParsedQuery, options: SearchOptions): RankedRow[] {
  const match = toFtsMatch(query);
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  if (match === null || limit === 0) return [];
  // The same window for every page within it, so paging through results neither repeats nor skips a paper.
  const window = Math.min(MAX_WINDOW, Math.max(WINDOW, offset + limit));

  const s = statementsFor(db);
  const candidates = s.candidates.all(match, window) as CandidateRow[];
  if (candidates.length === 0) return [];
  const relevance = prepareRelevance(query, estimateIdf(s, query));

  return candidates
    .map((row) => {
      const rel = relevance({ title: row.title, keywords: { json: row.ai_keywords } });
      return { rowid: row.rowid, relevance: rel, score: blendScore(rel, row.day, row.upvotes, options.now) };
    })
    .sort((a, b) => b.score - a.score || b.rowid - a.rowid)
    .slice(offset, offset + limit);
}

/** Candidates ranked per query: 20 pages of 10, and well under 5 ms at 100k papers (`npm run bench -- search`). */
const WINDOW = 200;
/** Deeper pages widen the window up to here; results past it are not reachable by paging. */
const MAX_WINDOW = 2_000;
const IDF_SAMPLE = 100;

/**
 * IDF per scoring term from its newest IDF_SAMPLE matches: k matches spread over the newest n papers means a
 * document frequency of about k/n. Walking newest-first stops early, so a common word costs no more than a
 * rare one (a `rowid >` range does not: FTS5 then walks the whole doclist). Rowids are assigned in insert
 * order, so the newest rowid stands in for the paper count.
 */
function estimateIdf(s: Statements, query: ParsedQuery): Map<string, number> {
  const idf = new Map<string, number>();
  const terms = scoringTerms(query);
  if (terms.length < 2) return idf;
  const newest = (s.maxRowid.get() as number | null) ?? 0;
  for (const term of terms) {
    const [containing, oldest] = s.sampleMatches.get(ftsTerm(term), IDF_SAMPLE) as [number, number | null];
    const documents = containing < IDF_SAMPLE || oldest === null ? newest : newest - oldest + 1;
    idf.set(termKey(term), inverseDocumentFrequency(documents, containing));
  }
  return idf;
}

interface CandidateRow {
  rowid: number;
  title: string;
  ai_keywords: string;
  day: string | null;
  upvotes: number;
}

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
      candidates: db.prepare(`
        SELECT p.rowid AS rowid, p.title, p.ai_keywords, coalesce(p.latest_day, p.published_at) AS day, p.upvotes
        FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS c
        JOIN papers AS p ON p.rowid = c.rowid`),
      maxRowid: db.prepare('SELECT max(rowid) FROM papers').pluck(),
      sampleMatches: db
        .prepare('SELECT count(*), min(rowid) FROM (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)')
        .raw(),
    };
    cache.set(db, statements);
  }
  return statements;
}
