import type { Paper } from '../../papers/paper.js';
import { indexedFields } from '../../search/paper-tokens.js';
import { paperFromRow, type PaperRowOf } from '../rows.js';

/** A `papers` row as SQLite returns it (JSON lists as text). */
export type PaperRow = PaperRowOf<string>;

export function rowToPaper(row: PaperRow): Paper {
  return paperFromRow(row, (value) => JSON.parse(value) as string[]);
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
