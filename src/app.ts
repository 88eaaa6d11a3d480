import type { Platform } from './channel.js';
import type { CommandContext } from './commands/context.js';
import type { Config } from './config.js';
import type { DigestPublisher } from './delivery/publisher.js';
import type { Logger } from './logger.js';
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
  commands: CommandContext;
  /** Filled in by the platform adapters that are configured. */
  publishers: Map<Platform, DigestPublisher>;
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger, clock: Clock = systemClock): App {
  const store = openStore(config.DATABASE_URL);
  const source = createHuggingFaceSource({ baseUrl: config.HF_API_URL, token: config.HF_TOKEN });
  const summariser = createSummariser({ config, cache: store, logger, clock });
  const commands: CommandContext = {
    store,
    summariser,
    source,
    defaults: { time: config.DIGEST_TIME, timeZone: config.DIGEST_TIMEZONE, size: config.DIGEST_SIZE },
    clock,
    logger,
    pageSize: 5,
  };
  return {
    config,
    logger,
    clock,
    store,
    source,
    summariser,
    commands,
    publishers: new Map(),
    close: () => store.close(),
  };
}
