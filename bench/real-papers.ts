import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldWhitespace, type DailyListing, type Paper } from '../src/papers/paper.js';
import type { Store } from '../src/store/store.js';

/**
 * Papers for the Slack and Discord benches' command scenarios: the real Daily Papers archive (DESIGN §7, 9,877
 * papers) when it is there, so searches match as many papers as real queries do; `null` when it isn't.
 */
const REAL_PAPERS = process.env.PAPERBOY_BENCH_PAPERS ?? fileURLToPath(new URL('../../shared/data/hf-daily/papers.jsonl', import.meta.url));

interface RealPaper {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  publishedAt: string | null;
  dailyDate: string;
  upvotes: number;
  numComments: number | null;
  ai_summary: string | null;
  ai_keywords: string[] | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  organization: { fullname?: string; name?: string } | string | null;
}

/** Listings by day, in each day's upvote order. */
export function loadRealDays(path = REAL_PAPERS): Map<string, DailyListing[]> | null {
  if (!existsSync(path)) return null;
  const days = new Map<string, DailyListing[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const real = JSON.parse(line) as RealPaper;
    const paper: Paper = {
      id: real.id,
      title: foldWhitespace(real.title),
      abstract: foldWhitespace(real.summary),
      authors: real.authors,
      publishedAt: real.publishedAt?.slice(0, 10) ?? null,
      upvotes: real.upvotes,
      comments: real.numComments ?? 0,
      githubRepo: real.githubRepo,
      githubStars: real.githubStars,
      projectPage: real.projectPage,
      aiSummary: real.ai_summary,
      aiKeywords: real.ai_keywords ?? [],
      organization: typeof real.organization === 'string' ? real.organization : (real.organization?.fullname ?? real.organization?.name ?? null),
      thumbnail: null,
    };
    const listings = days.get(real.dailyDate) ?? [];
    listings.push({ paper, day: real.dailyDate, rank: listings.length + 1 });
    days.set(real.dailyDate, listings);
  }
  return days;
}

/** What people search for; each has a page of local hits, so none waits on the Hugging Face fallback. */
export const REAL_QUERIES = ['grokking', 'diffusion transformer', 'sparse attention', '"in-context learning"', 'reinforcement learning reasoning', 'video generation', 'mixture of experts', 'speculative decoding', 'agents -survey', 'retrieval OR rag', 'author:"Yann LeCun"', 'long-context'];

/** The real archive into the store; the parsed file is dropped before measuring (a big heap slows every GC). */
export async function seedRealPapers(store: Store): Promise<boolean> {
  const days = loadRealDays();
  if (!days) return false;
  for (const [day, listings] of days) await store.saveDay(day, listings, new Date());
  return true;
}
