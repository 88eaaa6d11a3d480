import type { ChannelRef } from './channel.js';
import type { CommandContext } from './commands/context.js';
import type { Config, ConfiguredPlatform } from './config.js';
import type { ChannelPublisher } from './delivery/publisher.js';
import { defaultLease } from './delivery/lease.js';
import { UsageError } from './errors.js';
import { HealthCell } from './health.js';
import { silentLogger, type Logger } from './logger.js';
import { countTokens, createMetrics, workspaceLabels, type Metrics } from './metrics.js';
import { createArxivSource, type ArxivSource, type ArxivSourceOptions } from './papers/arxiv.js';
import { createHuggingFaceSource, type HuggingFaceSource, type HuggingFaceSourceOptions } from './papers/huggingface.js';
import type { PlatformAdapter } from './platform.js';
import { HttpServer } from './server.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { createSummariser, type Summariser, type SummariserOptions } from './summarise/summariser.js';
import { systemClock, type Clock } from './time.js';

/** What tests (and benches) change about the wiring; production passes none. */
export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  source?: Partial<HuggingFaceSourceOptions>;
  /** arXiv client options (a test's shorter request interval); used only when ARXIV_CATEGORIES is set. */
  arxiv?: Partial<ArxivSourceOptions>;
  summariser?: Partial<Omit<SummariserOptions, 'config' | 'cache'>>;
  /** By platform name: that adapter's own options (retry timings, pacing against a fast fake). */
  adapterOptions?: Record<string, unknown>;
  /** Search results per page in chat. */
  pageSize?: number;
}

/** The composition root's product: every core service, wired once from config, for `start`, the CLI and tests. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  source: HuggingFaceSource;
  /** The second paper source, when ARXIV_CATEGORIES names categories. */
  arxiv: ArxivSource | null;
  summariser: Summariser;
  metrics: Metrics;
  commands: CommandContext;
  /** /healthz, /readyz, /metrics, and the routes HTTP-mode adapters add. Not listening until told to. */
  server: HttpServer;
  /** The LLM's state for /healthz: `off`, or what the start-up check found. */
  llm: HealthCell;
  /**
   * The adapters of every enabled platform (the fallback platform, the terminal, when none is), created once and
   * not started; HTTP-mode adapters have added their routes to `server`.
   */
  adapters(): Promise<PlatformAdapter[]>;
  /** A publisher for one-off posts to a channel (`digest --channel`), without starting its platform's listener. */
  publisherFor(channel: ChannelRef): Promise<ChannelPublisher>;
  close(): Promise<void>;
}

export function createApp(config: Config, overrides: AppOverrides = {}): App {
  const logger = overrides.logger ?? silentLogger;
  const clock = overrides.clock ?? systemClock;
  const store = openStore(config.DATABASE_URL);
  const source = createHuggingFaceSource({ baseUrl: config.HF_API_URL, token: config.HF_TOKEN, ...overrides.source });
  const arxiv = config.ARXIV_CATEGORIES.length > 0 ? createArxivSource({ baseUrl: config.ARXIV_API_URL, categories: config.ARXIV_CATEGORIES, logger, ...overrides.arxiv }) : null;
  const metrics = createMetrics();
  const llm = new HealthCell(config.llmEnabled ? 'starting' : 'off');
  const summariser = createSummariser({
    config,
    cache: store,
    usage: store,
    logger,
    clock,
    ...overrides.summariser,
    onEvent: (event) => {
      if (event.type === 'llm_call') {
        metrics.llmCalls.inc({ outcome: event.ok ? 'ok' : 'failed' });
        countTokens(metrics, event);
      } else if (event.type === 'budget_exhausted') {
        metrics.llmBudgetExhausted.inc(workspaceLabels(event.workspace));
      } else if (event.type === 'cache_hit' || event.type === 'coalesced') {
        metrics.summaryCacheHits.inc();
      } else {
        metrics.summaryFallbacks.inc({ reason: event.reason });
      }
    },
  });
  const commands: CommandContext = {
    lease: defaultLease(config.DELIVERY_LEASE_SECONDS * 1000),
    store,
    summariser,
    source,
    defaults: { time: config.DIGEST_TIME, timeZone: config.DIGEST_TIMEZONE, size: config.DIGEST_SIZE },
    clock,
    logger,
    pageSize: overrides.pageSize ?? 5,
    commandsPerMinute: config.COMMANDS_PER_MINUTE,
    metrics,
    arxivCategories: config.ARXIV_CATEGORIES,
  };
  let created: PlatformAdapter[] | null = null;
  const server = new HttpServer({
    store,
    clock,
    logger,
    metrics: () => metrics.render(),
    adapters: () => Object.fromEntries((created ?? []).map((adapter) => [adapter.platform, adapter.health()])),
    services: () => ({ llm: llm.get() }),
  });

  let creating: Promise<PlatformAdapter[]> | null = null;
  const createAdapters = async (): Promise<PlatformAdapter[]> => {
    const enabled = config.platforms.filter((platform) => platform.enabled);
    const chosen = enabled.length > 0 ? enabled : config.platforms.filter((platform) => platform.descriptor.fallback);
    const adapters: PlatformAdapter[] = [];
    for (const platform of chosen) {
      const module = await platform.descriptor.load();
      adapters.push(module.createAdapter({ commands, server, logger, clock, metrics, shared: store }, platform.settings, overrides.adapterOptions?.[platform.descriptor.name]));
    }
    created = adapters;
    return adapters;
  };

  return {
    config,
    logger,
    clock,
    store,
    source,
    arxiv,
    summariser,
    metrics,
    commands,
    server,
    llm,
    adapters: () => (creating ??= createAdapters()),
    async publisherFor(channel) {
      const platform = configuredFor(config, channel);
      return (await platform.descriptor.load()).createPublisher(platform.settings, logger, store);
    },
    async close() {
      for (const adapter of created ?? []) await adapter.stop().catch(() => undefined);
      await server.close();
      await source.close();
      await arxiv?.close();
      await store.close();
    },
  };
}

function configuredFor(config: Config, channel: ChannelRef): ConfiguredPlatform {
  const platform = config.platforms.find((p) => p.descriptor.name === channel.platform);
  if (!platform || !(platform.enabled || platform.descriptor.fallback)) {
    throw new UsageError(`${channel.platform} is not configured; set its token in .env (see README).`);
  }
  return platform;
}
