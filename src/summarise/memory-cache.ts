import type { SummaryCache } from '../store/store.js';
import type { Summary, SummaryCacheKey } from './summary.js';

/** An in-process `SummaryCache` for dry runs, benchmarks and tests; the store is the real one. */
export function createMemorySummaryCache(): SummaryCache & { readonly size: number } {
  const entries = new Map<string, Summary>();
  const id = (key: SummaryCacheKey) => JSON.stringify([key.paperId, key.model, key.promptHash, key.language]);
  return {
    async getSummary(key) {
      const summary = entries.get(id(key));
      return summary ? structuredClone(summary) : null;
    },
    async putSummary(key, summary) {
      entries.set(id(key), structuredClone(summary));
    },
    get size() {
      return entries.size;
    },
  };
}
