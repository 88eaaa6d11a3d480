import type { Paper } from '../papers/paper.js';
import type { Summary } from './summary.js';

/**
 * What callers need from the summariser (implemented in summariser.ts). `language` is a channel's BCP-47 summary
 * language (default English); each language is summarised and cached on its own.
 */
export interface SummaryProvider {
  summarise(paper: Paper, language?: string): Promise<Summary>;
  /** No network: a cached LLM summary if there is one, else the fallback. */
  quickSummary(paper: Paper, language?: string): Promise<Summary>;
  /** True when summarise() would call the LLM (LLM on and nothing cached). */
  needsLlmCall(paper: Paper, language?: string): Promise<boolean>;
  readonly model: string | null;
}
