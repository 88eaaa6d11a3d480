/** A paper summary as every channel sees it; plain text only. */
export interface Summary {
  tldr: string;
  /** Up to 5 points (an LLM may give fewer, or none when its answer was prose). */
  keyPoints: string[];
  whyItMatters: string | null;
  /** Where it came from: the LLM, HF's own `ai_summary`, or key sentences of the abstract. */
  source: 'llm' | 'hf' | 'abstract';
  model: string | null;
  /** Set when an LLM is configured but this summary is not its answer: why not. */
  fallback?: FallbackReason;
  /**
   * The language (BCP-47) the channel asked for when this summary is not in it: no LLM wrote it, so it is HF's or
   * the abstract's English. Absent when the summary is in the language asked for.
   */
  untranslated?: string;
}

export type FallbackReason =
  | 'llm_disabled' // no LLM configured
  | 'not_cached' // quickSummary() and no cached LLM summary yet
  | 'llm_error' // HTTP error, network error, rate limit after retries
  | 'timeout'
  | 'invalid_output' // nothing usable in the reply: no JSON summary, no sentence
  | 'circuit_open' // recent calls kept failing: cooling down
  | 'recent_failure' // this paper failed a moment ago: not retried yet
  | 'no_abstract' // nothing to summarise: an LLM would only invent
  | 'budget_exhausted'; // the asking workspace used its LLM_DAILY_TOKEN_BUDGET today

/** Why the LLM's summary isn't shown, in words for the `summary` command and logs. */
export const FALLBACK_EXPLANATIONS: Record<FallbackReason, string> = {
  llm_disabled: 'no LLM is configured',
  not_cached: 'no LLM summary is cached yet',
  llm_error: 'the LLM server returned an error',
  timeout: 'the LLM server did not answer in time',
  invalid_output: 'the LLM reply held no usable summary',
  circuit_open: 'recent LLM calls kept failing, so calls are paused for a minute',
  recent_failure: 'the LLM failed on this paper a few minutes ago; it will be asked again later',
  no_abstract: 'the paper has no abstract to summarise',
  budget_exhausted: "the workspace's daily LLM token budget is used up",
};

export interface SummaryCacheKey {
  paperId: string;
  model: string;
  promptHash: string;
  /** BCP-47 tag of the language the summary is written in (`en` by default). */
  language: string;
}
