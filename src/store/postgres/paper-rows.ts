import type { Paper } from '../../papers/paper.js';
import { paperFromRow, type PaperRowOf } from '../rows.js';
import { searchVector } from './search-vector.js';

/** The `papers` columns a Paper is read from (never `search`: the vector is only for the index). */
export const PAPER_COLUMNS = `rowid, id, title, abstract, authors, published_at, upvotes, comments, github_repo, github_stars,
  project_page, ai_summary, ai_keywords, organization, thumbnail, latest_day`;

/** A `papers` row as node-postgres returns it (`json` columns arrive parsed, so checked here). */
export type PaperRow = PaperRowOf<unknown>;

export function rowToPaper(row: PaperRow): Paper {
  return paperFromRow(row, (value, column) => {
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    throw new Error(`papers.${column} of ${row.id} is not a JSON array of strings`);
  });
}

/**
 * Positional parameters of the paper upserts ($1 … $17, see paper-store.ts): the paper, the HF day it is listed
 * on (null outside a daily listing), when, and its search vector. PostgreSQL text cannot hold U+0000, which
 * SQLite stores; it becomes U+FFFD (neither is a letter or digit, so search tokens are the same).
 */
export function paperValues(paper: Paper, day: string | null, at: Date): unknown[] {
  return [
    paper.id,
    text(paper.title),
    text(paper.abstract),
    JSON.stringify(paper.authors),
    paper.publishedAt,
    paper.upvotes,
    paper.comments,
    text(paper.githubRepo),
    paper.githubStars,
    text(paper.projectPage),
    text(paper.aiSummary),
    JSON.stringify(paper.aiKeywords),
    text(paper.organization),
    text(paper.thumbnail),
    day,
    at,
    searchVector(paper),
  ];
}

function text<T extends string | null>(value: T): T {
  return (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value) as T;
}
