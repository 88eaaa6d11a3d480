import type { DailyListing, Paper } from './paper.js';

/** What the core needs from a paper source (Hugging Face today; arXiv later). */
export interface PaperSource {
  dailyPapers(day: string, options?: { sort?: 'upvotes' | 'trending' }): Promise<DailyListing[]>;
  searchPapers(query: string, limit?: number): Promise<Paper[]>;
  getPaper(id: string): Promise<Paper | null>;
}
