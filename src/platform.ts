import type { Clock } from './time.js';
import type { ComponentHealth } from './health.js';
import type { CommandContext } from './commands/context.js';
import type { Config } from './config.js';
import type { ChannelPublisher } from './delivery/publisher.js';
import type { HttpServer } from './server.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Platform } from './channel.js';
import type { Store } from './store/store.js';
import type { SummaryProvider } from './summarise/port.js';

/** A running chat platform integration, as the composition root sees it. */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly publisher: ChannelPublisher;
  /**
   * Verifies credentials and connects (gateway / socket mode); resolves when ready to receive commands. Retries
   * what is transient within its own client's bounds, then rejects with one line naming the setting to fix.
   */
  start(): Promise<void>;
  /** Stops receiving; lets in-flight posts finish or abandons them safely. */
  stop(): Promise<void>;
  /** As now: `starting` until start() resolves, then `ready`, `reconnecting` while a connection is down. */
  health(): ComponentHealth;
}

/** What the composition root hands every platform adapter factory. */
export interface AdapterDeps {
  config: Config;
  /** For `handleCommand(commands, command)`. */
  commands: CommandContext;
  /** The delivery ledger (digests, Summarise-once) and papers. */
  store: Store;
  summariser: SummaryProvider;
  /** The shared HTTP server; HTTP-mode adapters add their routes before it listens. */
  server: HttpServer;
  logger: Logger;
  clock: Clock;
  /** For the command latency histogram; absent in tests that don't care. */
  metrics?: Metrics;
}
