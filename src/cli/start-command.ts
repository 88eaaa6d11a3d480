import { styleFor } from '../../adapters/console/style.js';
import { createApp, type App } from '../app.js';
import { CONSOLE_CHANNEL } from '../channel.js';
import { deliverDigest } from '../delivery/deliver-digest.js';
import type { ChannelPublisher } from '../delivery/publisher.js';
import { buildDailyDigest } from '../digest/build-digest.js';
import { errorMessage, PaperboyError } from '../errors.js';
import { redactUrl } from '../http/redact-url.js';
import type { Logger } from '../logger.js';
import { syncArxiv } from '../papers/arxiv-sync.js';
import { recentDays, syncDays } from '../papers/sync.js';
import type { PlatformAdapter } from '../platform.js';
import type { HttpServer } from '../server.js';
import { Scheduler, SYNC_LEASE } from '../schedule/scheduler.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { loadConfig, loggerFor } from './runtime.js';
import { startupNotices, type StartupNotices } from './startup-notices.js';
import { progressPrinter } from './sync-command.js';
import { LOCAL_WORKSPACE } from '../workspace.js';

/** Days synced at start, oldest first, so search's newest-first candidates follow paper dates. */
const START_SYNC_DAYS = 30;

/**
 * `paperboy start`: HTTP server, configured platform adapters, sync and schedules. With no platform configured
 * it prints today's digest once and keeps the console on its daily schedule, so a newcomer sees the product.
 *
 * Start-up fails fast: a setting an adapter cannot work with (a rejected token, a wrong API URL, a platform
 * still unreachable after its client's retries) stops everything started so far and rejects with one line
 * naming the setting, so the process exits non-zero instead of serving a green /healthz with nothing working.
 */
export async function runStartCommand(): Promise<void> {
  const config = loadConfig();
  const consoleOnly = !config.platforms.some((platform) => platform.enabled);
  // In a terminal preview, JSON logs would bury the digest: what matters is said in plain lines (notices), and
  // operators get the logs by setting LOG_LEVEL.
  const logger = loggerFor(config, consoleOnly && !process.env.LOG_LEVEL ? 'error' : config.LOG_LEVEL);
  const notices = startupNotices(consoleOnly ? process.stderr : null, logger);
  const app = createApp(config, { logger });
  let adapters: PlatformAdapter[] = [];
  let scheduler: Scheduler | null = null;
  const stopAll = async () => {
    await scheduler?.stop();
    await app.close();
  };

  try {
    adapters = await app.adapters();
    await listen(app.server, config, consoleOnly, notices, logger);
    void reportLlm(app, notices);
    for (const adapter of adapters) await adapter.start();
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }

  const publishers = new Map<string, ChannelPublisher>(adapters.map((adapter) => [adapter.platform, adapter.publisher]));
  scheduler = new Scheduler({
    store: app.store,
    summariser: app.summariser,
    publishers,
    clock: app.clock,
    logger,
    metrics: app.metrics,
    source: app.source,
    arxiv: app.arxiv,
    configuredChannels: consoleOnly ? [CONSOLE_CHANNEL] : config.DIGEST_CHANNELS,
    defaults: app.commands.defaults,
    lease: app.commands.lease,
    syncIntervalMinutes: config.SYNC_INTERVAL_MINUTES,
    lateRecheckHours: config.LATE_RECHECK_HOURS,
  });
  const running = scheduler;
  app.commands.onSettingsChanged = () => void running.rebuild();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await stopAll();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await syncRecent(app, START_SYNC_DAYS, notices);
  if (consoleOnly) {
    await printConsoleDigest(app, publishers.get(CONSOLE_CHANNEL.platform)!);
    process.stdout.write(styleFor(process.stdout).dim(`Next digest ${config.DIGEST_TIME} ${config.DIGEST_TIMEZONE}. Connect Slack or Discord in .env (see README). Ctrl+C stops.\n`));
  }
  await scheduler.start();
}

async function listen(server: HttpServer, config: App['config'], consoleOnly: boolean, notices: StartupNotices, logger: Logger): Promise<void> {
  try {
    const address = await server.listen(config.PORT, config.HOST);
    logger.info({ port: address.port }, 'HTTP server listening (/healthz, /readyz, /metrics)');
  } catch (error) {
    const line = `Could not listen on HOST=${config.HOST} PORT=${config.PORT}: ${errorMessage(error)}`;
    // A terminal preview is still useful without /healthz; a bot that platforms can't reach is not.
    if (!consoleOnly) throw new PaperboyError('listen_failed', line, { cause: error, userMessage: `${line}; set PORT to a free port.` });
    notices.warn(`${line}; the preview goes on without /healthz.`);
  }
}

/** The LLM's state, said once at start-up (a wrong OPENAI_BASE_URL used to stay silent until summaries fell back). */
async function reportLlm(app: App, notices: StartupNotices): Promise<void> {
  const health = await app.summariser.checkConnection();
  app.llm.set(health.state, health.detail);
  if (health.state === 'failed') notices.warn(`LLM summaries: ${health.detail}.`, { llm: health.state });
  else notices.info(`LLM summaries: ${health.state === 'off' ? `off (${health.detail})` : `on, ${health.detail}`}.`, { llm: health.state });
}

async function syncRecent(app: App, days: number, notices: StartupNotices): Promise<void> {
  const { from, to } = recentDays(days, app.clock);
  // Replicas starting together need one start-up sync between them, not one each.
  const owner = attemptOwner(app.commands.lease ?? defaultLease());
  const now = app.clock();
  if (!(await app.store.acquireLease(SYNC_LEASE, owner, now, new Date(now.getTime() + 10 * 60_000)))) {
    app.logger.info('another process is syncing; start-up sync skipped');
    return;
  }
  const progress = progressPrinter(process.stderr);
  const started = performance.now();
  try {
    const report = await syncDays({ source: app.source, store: app.store, clock: app.clock, logger: app.logger }, { from, to, onProgress: progress.update });
    app.metrics.syncDuration.observe((performance.now() - started) / 1000);
    progress.done();
    if (report.failedDays === report.days.length) {
      const reason = report.days[0]?.error ?? 'unknown error';
      notices.warn(`Hugging Face sync failed at HF_API_URL=${redactUrl(app.config.HF_API_URL)}: ${reason}. Showing what is stored; retrying every ${app.config.SYNC_INTERVAL_MINUTES} min.`);
    }
    if (app.arxiv) {
      const arxiv = await syncArxiv({ source: app.arxiv, store: app.store, clock: app.clock, logger: app.logger });
      if (arxiv.error) notices.warn(`arXiv sync failed at ARXIV_API_URL=${redactUrl(app.config.ARXIV_API_URL)}: ${arxiv.error}. Retrying every ${app.config.SYNC_INTERVAL_MINUTES} min.`);
    }
  } catch (error) {
    progress.done();
    app.logger.error({ err: errorMessage(error) }, 'sync failed');
  } finally {
    await app.store.releaseLease(SYNC_LEASE, owner).catch(() => undefined);
  }
}

async function printConsoleDigest(app: App, publisher: ChannelPublisher): Promise<void> {
  const { config } = app;
  const digest = await buildDailyDigest(
    { store: app.store, summariser: app.summariser, clock: app.clock },
    { channel: CONSOLE_CHANNEL, workspace: LOCAL_WORKSPACE, size: config.DIGEST_SIZE, timeZone: config.DIGEST_TIMEZONE, skipReceived: false },
  );
  if (!digest || digest.items.length === 0) {
    process.stdout.write('No papers stored yet; the next sync will bring them.\n');
    return;
  }
  // The console is a preview: release the key so each run prints, rather than "already delivered".
  await deliverDigest({ ledger: app.store, publisher, clock: app.clock }, CONSOLE_CHANNEL, digest, { force: true });
}
