import type { PaperArtifacts } from './artifacts.js';
import type { DailyListing, Paper } from './paper.js';

/** What the core needs from a paper source (Hugging Face today; arXiv later). */
export interface PaperSource {
  dailyPapers(day: string, options?: { sort?: 'upvotes' | 'trending' }): Promise<DailyListing[]>;
  searchPapers(query: string, limit?: number): Promise<Paper[]>;
  getPaper(id: string): Promise<Paper | null>;
}

/** Where a followed paper's code, models and datasets are looked up. */
export interface ArtifactSource {
  /**
   * The paper as HF has it now, its GitHub repository and the HF models and datasets citing it; null when HF has
   * no such paper. `interactive`: someone is waiting (their budget, one short attempt); else it queues like sync.
   */
  paperArtifacts(id: string, options?: { interactive?: boolean }): Promise<{ paper: Paper; artifacts: PaperArtifacts } | null>;
}
