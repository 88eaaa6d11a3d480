import type { ParsedQuery, QueryTerm } from '../../search/query.js';
import { IDF_SAMPLE, idfSampleTerms, rankCandidates, searchPage, type CandidateRow, type IdfSample, type RankedRow } from '../../search/rank-candidates.js';
import type { SearchOptions } from '../store.js';
import type { Queryable } from './database.js';
import { firstStep, nextStep, type BlockStep } from './recency-blocks.js';
import { termTsquery, toTsquery } from './tsquery.js';

/**
 * Full-text search over `papers.search`: the SQL half of search/rank-candidates.ts, which ranks what this
 * fetches exactly as it ranks SQLite's rows. Candidates are the newest `window` matches and each IDF sample a
 * term's newest IDF_SAMPLE matches, both found block by block from the newest (recency-blocks.ts), so a query
 * reads about as many rows as it returns. The samples run beside the candidates on other pool connections.
 */
export async function searchPaperRows(db: Queryable, query: ParsedQuery, options: SearchOptions): Promise<RankedRow[]> {
  const tsquery = toTsquery(query);
  const page = searchPage(options);
  if (tsquery === null || page === null) return [];

  const [row] = await db.rows<{ newest: number | null }>('SELECT max(rowid) AS newest FROM papers');
  const newest = row?.newest ?? null;
  if (newest === null) return [];
  const [candidates, samples] = await Promise.all([
    newestMatches<CandidateSqlRow>(db, CANDIDATE_COLUMNS, tsquery, page.window, newest),
    Promise.all(idfSampleTerms(query).map((term) => sample(db, term, newest))),
  ]);
  return rankCandidates(query, candidates.map(toCandidate), { newest, samples }, page, options.now);
}

const CANDIDATE_COLUMNS = 'rowid, title, ai_keywords::text AS ai_keywords, coalesce(latest_day, published_at) AS day, upvotes';

interface CandidateSqlRow {
  rowid: number;
  title: string;
  /** The stored JSON text, verbatim (a `json` column), as relevance reads SQLite's. */
  ai_keywords: string;
  day: string | null;
  upvotes: number;
}

function toCandidate(row: CandidateSqlRow): CandidateRow {
  return { rowid: row.rowid, title: row.title, keywords: { json: row.ai_keywords }, day: row.day, upvotes: row.upvotes };
}

async function sample(db: Queryable, term: QueryTerm, newest: number): Promise<IdfSample> {
  const rows = await newestMatches<{ rowid: number }>(db, 'rowid', termTsquery(term), IDF_SAMPLE, newest);
  return { term, containing: rows.length, oldest: rows.length > 0 ? rows[rows.length - 1]!.rowid : null };
}

/**
 * The newest `limit` rows matching `tsquery`, newest first: one GIN lookup per block step (recency-blocks.ts)
 * until enough are found. The query and the step's blocks are separate parameters, ANDed in SQL, planned with
 * their values.
 * The matches are a MATERIALIZED CTE, planned apart from the ORDER BY … LIMIT: otherwise, for a small limit,
 * PostgreSQL may walk `rowid` backwards from the newest row, re-reading every vector until enough match (200 ms
 * for a step far from the newest rows); as it is, it takes the step's matches from the index and sorts those.
 */
async function newestMatches<R extends { rowid: number }>(db: Queryable, columns: string, tsquery: string, limit: number, newest: number): Promise<R[]> {
  const found: R[] = [];
  for (let step: BlockStep | null = firstStep(newest); step !== null; step = nextStep(step, newest, found.length, limit)) {
    const rows = await db.rows<R>(
      `WITH matches AS MATERIALIZED (SELECT ${columns} FROM papers WHERE search @@ ($1::tsquery && $2::tsquery))
       SELECT * FROM matches ORDER BY rowid DESC LIMIT $3`,
      [tsquery, step.tsquery, limit - found.length],
    );
    found.push(...rows);
    if (found.length >= limit) break;
  }
  return found;
}
