import type { CommandContext } from './commands/context.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createHuggingFaceSource, type HuggingFaceSource } from './papers/huggingface.js';
import { openStore } from './store/sqlite/index.js';
import type { Store } from './store/store.js';
import { createSummariser, type Summariser } from './summarise/summariser.js';
import { systemClock, type Clock } from './time.js';

/** The composition root's product: every core service, wired once from config. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  source: HuggingFaceSource;
  summariser: Summariser;
  metrics: Metrics;
  commands: CommandContext;
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger, clock: Clock = systemClock): App {
  const store = openStore(config.DATABASE_URL);
  const source = createHuggingFaceSource({ baseUrl: config.HF_API_URL, token: config.HF_TOKEN });
  const metrics = createMetrics();
  const summariser = createSummariser({
    config,
    cache: store,
    logger,
    clock,
    onEvent: (event) => {
      if (event.type === 'llm_call') {
        metrics.llmCalls.inc({ outcome: event.ok ? 'ok' : 'failed' });
        metrics.llmTokens.inc({ kind: 'prompt' }, event.promptTokens);
        metrics.llmTokens.inc({ kind: 'completion' }, event.completionTokens);
      } else if (event.type === 'cache_hit' || event.type === 'coalesced') {
        metrics.summaryCacheHits.inc();
      } else {
        metrics.summaryFallbacks.inc({ reason: event.reason });
      }
    },
  });
  const commands: CommandContext = {
    store,
    summariser,
    source,
    defaults: { time: config.DIGEST_TIME, timeZone: config.DIGEST_TIMEZONE, size: config.DIGEST_SIZE },
    clock,
    logger,
    pageSize: 5,
    metrics,
  };
  return {
    config,
    logger,
    clock,
    store,
    source,
    summariser,
    metrics,
    commands,
    async close() {
      await source.close();
      await store.close();
    },
  };
}
