import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { describeIssues } from '../http/issues.js';
import { canonicalArxivId } from './arxiv-id.js';
import { foldWhitespace, type Paper } from './paper.js';

/**
 * The arXiv API's Atom feed (`/api/query`), read into plain values. Both forms arXiv has served are read: today's
 * (single-line titles, `opensearch:*` declared on the root) and the legacy one (hard-wrapped titles and
 * abstracts, namespaces declared per element). Entry ids are `http://arxiv.org/abs/<id>v<version>`, new-style
 * (`2401.01234`) or old-style (`astro-ph/0601001`).
 */

export interface ArxivEntry {
  /** Canonical id, version stripped. */
  id: string;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  /** When version 1 was submitted (ISO, UTC): the order `sortBy=submittedDate` lists by. */
  published: string;
  categories: string[];
  primaryCategory: string | null;
}

export interface ArxivFeed {
  /** `opensearch:totalResults`: how many entries the query has in all. */
  totalResults: number;
  startIndex: number;
  entries: ArxivEntry[];
  /** Entries that could not be read (an id that is not arXiv's, a missing date), with why. */
  skipped: { id: string; reason: string }[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'entry' || name === 'author' || name === 'category' || name === 'link',
});

/** Element text, whether the parser gave a string or (an element with attributes) an object holding it. */
const text = z.union([z.string(), z.object({ '#text': z.string() }).transform((node) => node['#text'])]);
const count = text.pipe(z.string().trim().regex(/^\d+$/, 'not a count').transform(Number));
const instant = text.pipe(z.string().trim().refine((value) => !Number.isNaN(Date.parse(value)), 'not a date-time').transform((value) => new Date(value).toISOString()));

const feedSchema = z.object({
  feed: z.object({
    totalResults: count.optional(),
    startIndex: count.optional(),
    entry: z.array(z.unknown()).default([]),
  }),
});

const entrySchema = z.object({
  id: text,
  title: text,
  summary: text.default(''),
  published: instant,
  author: z.array(z.object({ name: text })).default([]),
  category: z.array(z.object({ term: z.string() })).default([]),
  primary_category: z.object({ term: z.string() }).optional(),
});

const errorEntrySchema = z.object({ id: text, title: text, summary: text.default('') });

/** Reads one feed; throws (with a one-line reason) when the body is not an arXiv Atom feed or is its error feed. */
export function parseArxivFeed(xml: string): ArxivFeed {
  const error = arxivErrorMessage(xml);
  if (error !== null) throw new Error(`arXiv refused the query: ${error}`);
  const parsed = feedSchema.safeParse(parseXml(xml));
  if (!parsed.success) throw new Error(`not an Atom feed (${describeIssues(parsed.error.issues)})`);
  const { feed } = parsed.data;
  const entries: ArxivEntry[] = [];
  const skipped: ArxivFeed['skipped'] = [];
  for (const raw of feed.entry) {
    const read = readEntry(raw);
    if ('reason' in read) skipped.push(read);
    else entries.push(read);
  }
  return { totalResults: feed.totalResults ?? entries.length, startIndex: feed.startIndex ?? 0, entries, skipped };
}

/**
 * The message of arXiv's error feed (HTTP 400 for a malformed query: one entry titled `Error` whose id is under
 * `/api/errors`), or null for any other body.
 */
export function arxivErrorMessage(xml: string): string | null {
  if (!xml.includes('/api/errors')) return null;
  let doc: unknown;
  try {
    doc = parseXml(xml);
  } catch {
    return null;
  }
  const entries = (doc as { feed?: { entry?: unknown[] } } | null)?.feed?.entry ?? [];
  for (const raw of entries) {
    const entry = errorEntrySchema.safeParse(raw);
    if (entry.success && entry.data.title.trim() === 'Error' && /\/api\/errors\b/.test(entry.data.id)) return foldWhitespace(entry.data.summary) || 'unknown error';
  }
  return null;
}

/** An entry as a Paper: arXiv knows nothing of upvotes, code or AI summaries, so those stay empty. */
export function arxivEntryToPaper(entry: ArxivEntry): Paper {
  return {
    id: entry.id,
    title: entry.title,
    abstract: entry.abstract,
    authors: entry.authors,
    publishedAt: entry.published.slice(0, 10),
    upvotes: 0,
    comments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiKeywords: [],
    organization: null,
    thumbnail: null,
  };
}

function parseXml(xml: string): unknown {
  if (!/^\s*(?:<\?xml[^>]*\?>\s*)?<feed[\s>]/.test(xml)) throw new Error(xml.trim() === '' ? 'empty body' : 'not an Atom feed');
  return parser.parse(xml);
}

function readEntry(raw: unknown): ArxivEntry | { id: string; reason: string } {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const shownId = typeof rawId === 'string' ? rawId.trim() : '?';
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return { id: shownId, reason: describeIssues(parsed.error.issues) };
  const entry = parsed.data;
  const id = canonicalArxivId(entry.id.trim());
  if (!id) return { id: shownId, reason: 'not an arXiv id' };
  const title = foldWhitespace(entry.title);
  if (!title) return { id, reason: 'no title' };
  const version = /v(\d+)$/.exec(entry.id.trim());
  return {
    id,
    version: version ? Number(version[1]) : null,
    title,
    abstract: foldWhitespace(entry.summary),
    authors: entry.author.map((author) => foldWhitespace(author.name)).filter(Boolean),
    published: entry.published,
    categories: entry.category.map((category) => category.term),
    primaryCategory: entry.primary_category?.term ?? null,
  };
}
