import { z } from 'zod';
import { canonicalArxivId } from './arxiv-id.js';
import { foldWhitespace, type Paper } from './paper.js';

/**
 * The Hugging Face papers API as paperboy reads it. Objects are loose (HF adds fields all the time), optional
 * fields may be absent (HF omits rather than nulls them; null is tolerated too), wrong types are rejected.
 */
const optionalText = z.string().nullish();

const hfAuthorSchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string(),
  hidden: z.boolean().optional(),
});

const hfOrganizationSchema = z.looseObject({
  name: z.string().nullish(),
  fullname: z.string().nullish(),
});

/**
 * `GET /api/models?filter=arxiv:<id>` and `/api/datasets?filter=arxiv:<id>`: repositories whose card cites the
 * paper, each `{ _id, id: "owner/name", likes, downloads, tags, createdAt, … }`; only `id` is read.
 */
export const hfRepoListSchema = z.array(z.looseObject({ id: z.string().min(1) }));

/** `paper` inside a daily/search entry, and the flat body of `GET /api/papers/{id}`. */
export const hfPaperSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  summary: optionalText,
  authors: z.array(hfAuthorSchema).nullish(),
  /** arXiv date (date-only midnight since 2026-04, a timestamp before). */
  publishedAt: optionalText,
  /** The Daily Papers bucket (since 2025-03-17). */
  submittedOnDailyAt: optionalText,
  upvotes: z.number().nullish(),
  projectPage: optionalText,
  githubRepo: optionalText,
  githubStars: z.number().nullish(),
  ai_summary: optionalText,
  ai_keywords: z.array(z.string()).nullish(),
  organization: hfOrganizationSchema.nullish(),
});

/** One entry of `GET /api/daily_papers`. */
export const hfDailyEntrySchema = z.looseObject({
  paper: hfPaperSchema,
  /** Meaning changed in March 2025 (listing time, then arXiv time shifted); not used. */
  publishedAt: optionalText,
  title: optionalText,
  thumbnail: optionalText,
  numComments: z.number().nullish(),
  organization: hfOrganizationSchema.nullish(),
});

export const hfDailyListSchema = z.array(hfDailyEntrySchema);

/** `GET /api/papers/search` items come wrapped (`{paper, numComments, …}`) or flat; both become an entry. */
export const hfSearchItemSchema = z.preprocess(
  (item) => (isRecord(item) && isRecord(item.paper) ? item : { paper: item }),
  hfDailyEntrySchema,
);
export const hfSearchResultsSchema = z.array(hfSearchItemSchema);

export type HfPaper = z.output<typeof hfPaperSchema>;
export type HfDailyEntry = z.output<typeof hfDailyEntrySchema>;

/** Maps an entry to a Paper; null when its id is not an arXiv id (the caller skips it). */
export function hfEntryToPaper(entry: HfDailyEntry): Paper | null {
  const p = entry.paper;
  const id = canonicalArxivId(p.id);
  if (!id) return null;
  const org = p.organization ?? entry.organization ?? null;
  return {
    id,
    title: foldWhitespace(p.title),
    abstract: foldWhitespace(p.summary ?? ''),
    authors: (p.authors ?? []).filter((a) => a.hidden !== true).map((a) => foldWhitespace(a.name)).filter(Boolean),
    publishedAt: isoDay(p.publishedAt),
    upvotes: count(p.upvotes),
    comments: count(entry.numComments),
    githubRepo: text(p.githubRepo),
    githubStars: typeof p.githubStars === 'number' ? count(p.githubStars) : null,
    projectPage: text(p.projectPage),
    aiSummary: p.ai_summary ? text(foldWhitespace(p.ai_summary)) : null,
    aiKeywords: (p.ai_keywords ?? []).map(foldWhitespace).filter(Boolean),
    organization: org ? text(org.fullname) ?? text(org.name) : null,
    thumbnail: text(entry.thumbnail),
  };
}

/** A flat `/api/papers/{id}` body: no comment count or thumbnail there. */
export function hfPaperToPaper(paper: HfPaper): Paper | null {
  return hfEntryToPaper({ paper });
}

function isoDay(value: string | null | undefined): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
