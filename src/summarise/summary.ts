/** A paper summary as every channel sees it; plain text only. */
export interface Summary {
  tldr: string;
  /** 3–5 points from an LLM; fewer from the fallbacks. */
  keyPoints: string[];
  whyItMatters: string | null;
  /** Where it came from: the LLM, HF's own `ai_summary`, or key sentences of the abstract. */
  source: 'llm' | 'hf' | 'abstract';
  model: string | null;
}

export interface SummaryCacheKey {
  paperId: string;
  model: string;
  promptHash: string;
}
