import { DAY_MS } from '../time.js';
import { GenerationalCache } from '../util/generational-cache.js';

/**
 * How a search hit's final score blends text relevance with freshness and popularity. Back-end neutral: a
 * back end supplies a relevance (higher is better, e.g. −bm25) and the paper's day and upvotes.
 *
 *   score = relevance × (1 + RECENCY_WEIGHT · 2^(−age / RECENCY_HALF_LIFE_DAYS))
 *                     × (1 + UPVOTE_WEIGHT · min(1, ln(1 + upvotes) / ln(1 + UPVOTE_SATURATION)))
 *
 * Both multipliers are bounded (together at most 1.6 × 1.3 ≈ 2.1×), so freshness and upvotes reorder papers of
 * similar relevance but never lift an abstract-only mention above a paper with the term in its title (field
 * weights differ by 8×).
 */
export const RECENCY_WEIGHT = 0.6;
export const RECENCY_HALF_LIFE_DAYS = 90;
export const UPVOTE_WEIGHT = 0.3;
export const UPVOTE_SATURATION = 100;

export function blendScore(relevance: number, day: string | null, upvotes: number, now: Date): number {
  return relevance * recencyFactor(day, now) * upvoteFactor(upvotes);
}

export function recencyFactor(day: string | null, now: Date): number {
  if (!day) return 1;
  const at = dayTime(day);
  if (Number.isNaN(at)) return 1;
  const ageDays = Math.max(0, (now.getTime() - at) / DAY_MS);
  return 1 + RECENCY_WEIGHT * 2 ** (-ageDays / RECENCY_HALF_LIFE_DAYS);
}

/**
 * `Date.parse` of a day, remembered: every search parses the day of each of its hundreds of candidates, and a store
 * holds a few thousand distinct days. Two generations of half the limit keep it bounded without dropping the days
 * still asked for all at once.
 */
function dayTime(day: string): number {
  let at = dayTimes.get(day);
  if (at === undefined) {
    at = Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day);
    dayTimes.set(day, at);
  }
  return at;
}

export const DAY_TIMES_LIMIT = 8_192;
const dayTimes = new GenerationalCache<string, number>(DAY_TIMES_LIMIT / 2);

export function upvoteFactor(upvotes: number): number {
  if (!(upvotes > 0)) return 1;
  return 1 + UPVOTE_WEIGHT * Math.min(1, Math.log1p(upvotes) / Math.log1p(UPVOTE_SATURATION));
}
