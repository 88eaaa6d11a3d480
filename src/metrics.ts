import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SummariserEvent } from './summarise/summariser.js';
import type { Workspace } from './workspace.js';

/** Every metric paperboy exports at GET /metrics, on a registry of its own (tests can make several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_' });
  return {
    registry,
    digestsPosted: new Counter({ name: 'paperboy_digests_posted_total', help: 'Digests and alerts delivered, by platform and kind', labelNames: ['platform', 'kind'], registers: [registry] }),
    postsFailed: new Counter({ name: 'paperboy_posts_failed_total', help: 'Channel deliveries that failed, by platform and reason', labelNames: ['platform', 'reason'], registers: [registry] }),
    syncDuration: new Histogram({ name: 'paperboy_sync_duration_seconds', help: 'Duration of a Hugging Face sync run', buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: [registry] }),
    commandLatency: new Histogram({ name: 'paperboy_command_latency_seconds', help: 'Time from a chat command arriving to its first answer', labelNames: ['platform', 'verb'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    llmCalls: new Counter({ name: 'paperboy_llm_calls_total', help: 'LLM summary calls, by outcome', labelNames: ['outcome'], registers: [registry] }),
    // By workspace too: the label values are Slack team / Discord guild ids, as many as places the bot is in.
    llmTokens: new Counter({ name: 'paperboy_llm_tokens_total', help: 'LLM tokens used, by kind (estimated: the server reported none) and workspace', labelNames: ['kind', 'platform', 'workspace'], registers: [registry] }),
    llmBudgetExhausted: new Counter({ name: 'paperboy_llm_budget_exhausted_total', help: "LLM calls skipped because the workspace's daily token budget was used up", labelNames: ['platform', 'workspace'], registers: [registry] }),
    summaryCacheHits: new Counter({ name: 'paperboy_summary_cache_hits_total', help: 'Summaries served from the cache', registers: [registry] }),
    summaryFallbacks: new Counter({ name: 'paperboy_summary_fallbacks_total', help: 'Summaries that fell back to HF or the abstract, by reason', labelNames: ['reason'], registers: [registry] }),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function workspaceLabels(workspace: Workspace): { platform: string; workspace: string } {
  return { platform: workspace.platform, workspace: workspace.id };
}

/** A call's tokens by kind; summed over kinds, a workspace's count is what its daily budget was charged. */
export function countTokens(metrics: Metrics, call: Extract<SummariserEvent, { type: 'llm_call' }>): void {
  const labels = workspaceLabels(call.workspace);
  if (call.estimated) {
    metrics.llmTokens.inc({ kind: 'estimated', ...labels }, call.totalTokens);
    return;
  }
  metrics.llmTokens.inc({ kind: 'prompt', ...labels }, call.promptTokens);
  metrics.llmTokens.inc({ kind: 'completion', ...labels }, Math.max(0, call.totalTokens - call.promptTokens));
}
