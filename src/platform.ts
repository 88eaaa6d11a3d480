import type { z } from 'zod';
import type { CommandContext } from './commands/context.js';
import type { ChannelPublisher } from './delivery/publisher.js';
import type { ComponentHealth } from './health.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { HttpServer } from './server.js';
import type { CoordinationStore } from './store/store.js';
import type { Clock } from './time.js';

/**
 * A chat platform as the core sees it, before any of its code is loaded: the whole of what the core knows about
 * Slack, Discord or the terminal. Adding a platform is one folder in `adapters/` exporting one of these, and one
 * line in the adapter list; the core loops over the list for settings, channel ids, `start`, `digest --channel`
 * and `doctor`.
 *
 * Descriptors are cheap to import (a zod schema and a few functions): the platform's SDK is only loaded by
 * `load()`, by the verbs that need it.
 */
export interface PlatformDescriptor<Settings = unknown> {
  /** The `platform` in `platform:id` channel refs, and the adapter's name in logs and /healthz. */
  readonly name: string;
  /** What a channel id looks like here (`DIGEST_CHANNELS`, `--channel`): a bad one is refused at start-up. */
  readonly channelId: RegExp;
  /** The settings it reads from the environment, each documented in `.env.example` or the platform's README. */
  readonly settings: z.ZodObject<z.ZodRawShape> & z.ZodType<Settings>;
  /** Settings whose values are never printed or logged. */
  readonly secrets: readonly string[];
  /** Configured: `start` runs it. Method syntax on purpose, so a descriptor of any settings fits a list. */
  enabled(settings: Settings): boolean;
  /** Runs when no other platform is enabled (the terminal preview). */
  readonly fallback?: boolean;
  /** Its code: adapter, publisher, connection check. */
  load(): Promise<PlatformModule<Settings>>;
  /** Command-line verbs of its own (Discord's `register-commands`). */
  readonly verbs?: readonly PlatformVerb<Settings>[];
}

export interface PlatformModule<Settings> {
  /** Receives commands and posts; `options` are the platform's own test knobs (retry timings, pacing). */
  createAdapter(deps: AdapterDeps, settings: Settings, options?: unknown): PlatformAdapter;
  /** Posting alone, without receiving (`paperboy digest --channel`); `shared` paces it with running replicas. */
  createPublisher(settings: Settings, logger: Logger, shared?: SharedCoordination): ChannelPublisher;
  /** `paperboy doctor`'s line: a live call with its credentials, naming the setting to fix. */
  checkConnection(settings: Settings, logger: Logger): Promise<ComponentHealth>;
}

export interface PlatformVerb<Settings> {
  name: string;
  description: string;
  options: readonly { flags: string; description: string }[];
  /** Returns the line to print. */
  run(settings: Settings, options: Record<string, unknown>): Promise<string>;
}

/** A running chat platform integration, as the composition root sees it. */
export interface PlatformAdapter {
  readonly platform: string;
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

/** What the composition root hands every platform adapter. */
export interface AdapterDeps {
  /** Every use case: `planCommand(commands, command, publisher)`. */
  commands: CommandContext;
  /** The shared HTTP server; HTTP-mode adapters add their routes before it listens. */
  server: HttpServer;
  logger: Logger;
  clock: Clock;
  /** For the command latency histogram; absent in tests that don't care. */
  metrics?: Metrics;
  /** The store every process of this bot shares: requests seen once, send slots per channel. */
  shared?: SharedCoordination;
}

/** What adapters coordinate through when several processes (replicas) serve one bot. */
export type SharedCoordination = Pick<CoordinationStore, 'markSeen' | 'reserveSlot'>;
