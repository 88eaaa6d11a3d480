import { PLATFORMS } from '../../adapters/index.js';
import { createApp, type App } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Paper } from '../../src/papers/paper.js';
import type { HuggingFaceSource } from '../../src/papers/huggingface.js';
import type { PlatformAdapter, PlatformDescriptor } from '../../src/platform.js';
import type { HttpServer } from '../../src/server.js';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Summariser } from '../../src/summarise/summariser.js';
import type { Clock } from '../../src/time.js';
import { startFakeHfServer, type FakeHfServer } from '../fakes/hf-server.js';
import { FAKE_API_KEY, type FakeOpenAI } from '../fakes/openai-server.js';
import { listingsFor } from './papers.js';

export interface CoreHarnessOptions {
  /** Platform settings (tokens, API URLs) on top of the HF and LLM ones. */
  env: Record<string, string>;
  /** An OpenAI-compatible fake; without it the summariser uses HF's summary or the abstract. */
  llm?: FakeOpenAI;
  clock?: Clock;
  logger?: Logger;
  /** By platform name, that adapter's own options (retry timings, pacing against the fake). */
  adapterOptions?: Record<string, unknown>;
  /** The adapter list (default: paperboy's own). */
  platforms?: readonly PlatformDescriptor[];
}

/**
 * The app exactly as `paperboy start` composes it (createApp over the adapter list), with an in-memory store and
 * Hugging Face pointed at its fake. Platform harnesses add their fake's settings and take the adapter from it.
 */
export interface CoreHarness {
  app: App;
  hf: FakeHfServer;
  store: SqliteStore;
  summariser: Summariser;
  source: HuggingFaceSource;
  config: Config;
  server: HttpServer;
  /** The enabled platforms' adapters, created (not started) by the app. */
  adapters: PlatformAdapter[];
  seedDay(day: string, papers: Paper[]): Promise<void>;
  close(): Promise<void>;
}

export async function startCoreHarness(options: CoreHarnessOptions): Promise<CoreHarness> {
  const hf = await startFakeHfServer();
  const config = parseConfig(
    {
      DATABASE_URL: ':memory:',
      HF_API_URL: hf.url,
      ...(options.llm ? { OPENAI_API_KEY: FAKE_API_KEY, OPENAI_BASE_URL: options.llm.baseURL } : {}),
      ...options.env,
    },
    options.platforms ?? PLATFORMS,
  );
  const app = createApp(config, {
    logger: options.logger ?? silentLogger,
    clock: options.clock,
    source: { rateLimit: false, maxAttempts: 1 },
    summariser: { maxRetries: 0 },
    adapterOptions: options.adapterOptions,
  });
  return {
    app,
    hf,
    store: app.store as SqliteStore,
    summariser: app.summariser,
    source: app.source,
    config,
    server: app.server,
    adapters: await app.adapters(),
    async seedDay(day, papers) {
      await app.store.saveDay(day, listingsFor(day, papers), new Date());
    },
    async close() {
      await app.close();
      await hf.close();
    },
  };
}
