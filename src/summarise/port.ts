import type { Paper } from '../papers/paper.js';
import type { Summary } from './summary.js';

/** What callers need from the summariser (implemented in summariser.ts). */
export interface SummaryProvider {
  summarise(paper: Paper): Promise<Summary>;
  /** No network: a cached LLM summary if there is one, else the fallback. */
  quickSummary(paper: Paper): Promise<Summary>;
  /** True when summarise() would call the LLM (LLM on and nothing cached). */
  needsLlmCall(paper: Paper): Promise<boolean>;
  readonly model: string | null;
}
