import type { CommandContext } from '../../src/commands/context.js';
import { parseConfig, type Config } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Paper } from '../../src/papers/paper.js';
import { createHuggingFaceSource, type HuggingFaceSource } from '../../src/papers/huggingface.js';
import type { AdapterDeps } from '../../src/platform.js';
import { HttpServer } from '../../src/server.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import { createSummariser, type Summariser } from '../../src/summarise/summariser.js';
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
}

/**
 * The core as `paperboy start` wires it, for adapter tests: SQLite store, summariser, HF source (against the HF
 * fake), command context and the shared HTTP server. Platform harnesses add their fake and adapter on top.
 */
export interface CoreHarness {
  hf: FakeHfServer;
  store: SqliteStore;
  summariser: Summariser;
  source: HuggingFaceSource;
  config: Config;
  server: HttpServer;
  /** What the adapter factories take. */
  deps: AdapterDeps;
  seedDay(day: string, papers: Paper[]): Promise<void>;
  close(): Promise<void>;
}

export async function startCoreHarness(options: CoreHarnessOptions): Promise<CoreHarness> {
  const hf = await startFakeHfServer();
  const store = openSqliteStore(':memory:');
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const config = parseConfig({
    HF_API_URL: hf.url,
    ...(options.llm ? { OPENAI_API_KEY: FAKE_API_KEY, OPENAI_BASE_URL: options.llm.baseURL } : {}),
    ...options.env,
  });
  const summariser = createSummariser({ config, cache: store, clock, maxRetries: 0 });
  const source = createHuggingFaceSource({ baseUrl: hf.url, rateLimit: false, maxAttempts: 1 });
  const commands: CommandContext = { store, summariser, source, defaults: { time: '09:00', timeZone: 'UTC', size: 10 }, clock, logger, pageSize: 5 };
  const server = new HttpServer({ store, clock, logger, metrics: async () => ({ contentType: 'text/plain', body: '' }) });
  return {
    hf,
    store,
    summariser,
    source,
    config,
    server,
    deps: { config, commands, store, summariser, server, logger, clock },
    async seedDay(day, papers) {
      await store.saveDay(day, listingsFor(day, papers), new Date());
    },
    async close() {
      await server.close();
      await source.close();
      await store.close();
      await hf.close();
    },
  };
}
