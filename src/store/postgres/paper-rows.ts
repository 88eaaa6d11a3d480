import type { Paper } from '../../papers/paper.js';
import { searchVector } from './search-vector.js';

/** The `papers` columns a Paper is read from (never `search`: the vector is only for the index). */
export const PAPER_COLUMNS = `rowid, id, title, abstract, authors, published_at, upvotes, comments, github_repo, github_stars,
  project_page, ai_summary, ai_keywords, organization, thumbnail, latest_day`;

/** A `papers` row as node-postgres returns it (`json` columns arrive parsed, so checked here). */
export interface PaperRow {
  rowid: number;
  id: string;
  title: string;
  abstract: string;
  authors: unknown;
  published_at: string | null;
  upvotes: number;
  comments: number;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null;
  ai_keywords: unknown;
  organization: string | null;
  thumbnail: string | null;
  latest_day: string | null;
}

export function rowToPaper(row: PaperRow): Paper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: stringArray(row.authors, 'authors', row.id),
    publishedAt: row.published_at,
    upvotes: row.upvotes,
    comments: row.comments,
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    aiSummary: row.ai_summary,
    aiKeywords: stringArray(row.ai_keywords, 'ai_keywords', row.id),
    organization: row.organization,
    thumbnail: row.thumbnail,
  };
}

function stringArray(value: unknown, column: string, id: string): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error(`papers.${column} of ${id} is not a JSON array of strings`);
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
