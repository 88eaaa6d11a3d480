import type { Paper } from '../papers/paper.js';
import type { Workspace } from '../workspace.js';
import type { Summary } from './summary.js';

/**
 * What callers need from the summariser (implemented in summariser.ts). `workspace` is who pays for an LLM call
 * (its daily token budget); a summary already cached costs nothing and is served to everyone. `language` is a
 * channel's BCP-47 summary language (default English); each language is summarised and cached on its own.
 */
export interface SummaryProvider {
  summarise(paper: Paper, workspace: Workspace, language?: string): Promise<Summary>;
  /** No network: a cached LLM summary if there is one, else the fallback. */
  quickSummary(paper: Paper, language?: string): Promise<Summary>;
  /** True when summarise() would call the LLM (LLM on, nothing cached, the workspace's budget not used up). */
  needsLlmCall(paper: Paper, workspace: Workspace, language?: string): Promise<boolean>;
  readonly model: string | null;
}
