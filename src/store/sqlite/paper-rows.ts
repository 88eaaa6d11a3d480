import type { Paper } from '../../papers/paper.js';
import { indexedFields } from '../../search/paper-tokens.js';

/** A `papers` row as SQLite returns it. */
export interface PaperRow {
  rowid: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  published_at: string | null;
  upvotes: number;
  comments: number;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null;
  ai_keywords: string;
  organization: string | null;
  thumbnail: string | null;
  latest_day: string | null;
}

export function rowToPaper(row: PaperRow): Paper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as string[],
    publishedAt: row.published_at,
    upvotes: row.upvotes,
    comments: row.comments,
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    aiSummary: row.ai_summary,
    aiKeywords: JSON.parse(row.ai_keywords) as string[],
    organization: row.organization,
    thumbnail: row.thumbnail,
  };
}

/** Named parameters for the upsert statement. */
export function paperParams(paper: Paper, day: string | null, at: string) {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: JSON.stringify(paper.authors),
    published_at: paper.publishedAt,
    upvotes: paper.upvotes,
    comments: paper.comments,
    github_repo: paper.githubRepo,
    github_stars: paper.githubStars,
    project_page: paper.projectPage,
    ai_summary: paper.aiSummary,
    ai_keywords: JSON.stringify(paper.aiKeywords),
    organization: paper.organization,
    thumbnail: paper.thumbnail,
    day,
    at,
  };
}

/** The normalised text the full-text index holds for a paper, column by column. */
export function ftsParams(rowid: number, paper: Paper) {
  return {
    rowid,
    ...indexedFields(paper),
  };
}
