import { termKey } from './parse.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import { blendScore } from './rank.js';
import { inverseDocumentFrequency, prepareRelevance, scoringTerms, type RelevanceInput } from './relevance.js';

/**
 * The back-end-neutral half of full-text search. Every store runs the same three steps (DESIGN §8):
 *
 * 1. Candidates: the newest `window` papers matching the boolean query, newest (highest rowid) first. A query
 *    with fewer matches than the window gets all of them, so narrow queries are ranked exactly; a broad one is
 *    ranked among its most recent matches, which is where "newest-relevant first" puts its first pages anyway.
 * 2. IDF samples: per scoring term, how many of its newest IDF_SAMPLE matches there are and the oldest rowid
 *    among them (only when the query has several terms; with one, IDF cannot change the order).
 * 3. This module: relevance (search/relevance.ts) blended with recency and upvotes (search/rank.ts), sorted,
 *    paged.
 *
 * A back end does steps 1 and 2 in its own SQL and hands the rows here, so the same rows rank the same way
 * whichever store they came from.
 */

/** Candidates ranked per query: 20 pages of 10. */
export const WINDOW = 200;
/** Deeper pages widen the window up to here; results past it are not reachable by paging. */
export const MAX_WINDOW = 2_000;
/** Newest matches per term that the IDF estimate looks at. */
export const IDF_SAMPLE = 100;

export interface RankedRow {
  rowid: number;
  /** Blended score, higher is better: relevance × recency × upvotes (search/rank.ts). */
  score: number;
  /** Field-weighted text relevance before blending (search/relevance.ts). */
  relevance: number;
}

/** A candidate as a back end fetches it: only what ranking reads. */
export interface CandidateRow {
  rowid: number;
  title: string;
  keywords: RelevanceInput['keywords'];
  /** Latest HF day, else the publication date (YYYY-MM-DD), for recency. */
  day: string | null;
  upvotes: number;
}

/** What a back end found for one term's newest IDF_SAMPLE matches. */
export interface IdfSample {
  term: QueryTerm;
  /** Matches found, at most IDF_SAMPLE. */
  containing: number;
  /** The smallest rowid among them (null when none). */
  oldest: number | null;
}

export interface SearchPage {
  limit: number;
  offset: number;
  /** How many candidates to fetch. */
  window: number;
}

/** The page and candidate window for `options`, or null when nothing can be returned (limit 0). */
export function searchPage(options: { limit: number; offset: number }): SearchPage | null {
  const limit = Math.max(0, Math.floor(options.limit));
  const offset = Math.max(0, Math.floor(options.offset));
  if (limit === 0) return null;
  // The same window for every page within it, so paging through results neither repeats nor skips a paper.
  return { limit, offset, window: Math.min(MAX_WINDOW, Math.max(WINDOW, offset + limit)) };
}

/** The terms a back end must sample for IDF: none for a single-term query, whose order IDF cannot change. */
export function idfSampleTerms(query: ParsedQuery): QueryTerm[] {
  const terms = scoringTerms(query);
  return terms.length < 2 ? [] : terms;
}

/**
 * Ranks fetched candidates. `newest` is the highest rowid in the store: rowids are assigned in insert order,
 * so it stands in for the paper count, and k sampled matches spread over rowids [oldest, newest] mean a
 * document frequency of about k / (newest − oldest + 1).
 */
export function rankCandidates(
  query: ParsedQuery,
  candidates: readonly CandidateRow[],
  idf: { newest: number; samples: readonly IdfSample[] },
  page: SearchPage,
  now: Date,
): RankedRow[] {
  if (candidates.length === 0) return [];
  const relevance = prepareRelevance(query, estimateIdf(idf.newest, idf.samples));
  return candidates
    .map((row) => {
      const rel = relevance({ title: row.title, keywords: row.keywords, id: row.rowid });
      return { rowid: row.rowid, relevance: rel, score: blendScore(rel, row.day, row.upvotes, now) };
    })
    .sort((a, b) => b.score - a.score || b.rowid - a.rowid)
    .slice(page.offset, page.offset + page.limit);
}

function estimateIdf(newest: number, samples: readonly IdfSample[]): Map<string, number> {
  const idf = new Map<string, number>();
  for (const { term, containing, oldest } of samples) {
    const documents = containing < IDF_SAMPLE || oldest === null ? newest : newest - oldest + 1;
    idf.set(termKey(term), inverseDocumentFrequency(documents, containing));
  }
  return idf;
}
