import { ConsolePublisher } from '../../adapters/console/publisher.js';
import { styleFor } from '../../adapters/console/style.js';
import { createApp, type App } from '../app.js';
import { CONSOLE_CHANNEL, type Platform } from '../channel.js';
import { deliverDigest } from '../delivery/deliver-digest.js';
import type { DigestPublisher } from '../delivery/publisher.js';
import { buildDailyDigest } from '../digest/build-digest.js';
import { errorMessage } from '../errors.js';
import { createLogger } from '../logger.js';
import { recentDays, syncDays } from '../papers/sync.js';
import type { AdapterDeps, PlatformAdapter } from '../platform.js';
import { HttpServer } from '../server.js';
import { Scheduler } from '../schedule/scheduler.js';
import { progressPrinter } from './sync-command.js';
import { loadConfig } from './runtime.js';

export type AdapterFactory = (deps: AdapterDeps) => PlatformAdapter[];

/** Days synced at start, oldest first, so search's newest-first candidates follow paper dates. */
const START_SYNC_DAYS = 30;

/**
 * `paperboy start`: HTTP server, configured platform adapters, sync and schedules. With no platform configured
 * it prints today's digest once and keeps the console on its daily schedule, so a newcomer sees the product.
 */
export async function runStartCommand(createAdapters: AdapterFactory): Promise<void> {
  const config = loadConfig();
  const consoleOnly = !config.slackEnabled && !config.discordEnabled;
  // In a terminal preview, info logs would bury the digest; operators get them by setting LOG_LEVEL.
  const logger = createLogger(consoleOnly && !process.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL);
  const app = createApp(config, logger);
  const server = new HttpServer({ store: app.store, clock: app.clock, logger, metrics: () => app.metrics.render() });
  const adapters = createAdapters({ config, commands: app.commands, store: app.store, summariser: app.summariser, server, logger, clock: app.clock, metrics: app.metrics });

  try {
    const address = await server.listen(config.PORT, config.HOST);
    logger.info({ port: address.port }, 'HTTP server listening');
  } catch (error) {
    if (!consoleOnly) throw error;
    logger.warn({ err: errorMessage(error) }, 'HTTP server not started; the terminal preview goes on without /healthz');
  }
  for (const adapter of adapters) await adapter.start();

  const publishers = new Map<Platform, DigestPublisher>(adapters.map((adapter) => [adapter.platform, adapter.publisher]));
  if (consoleOnly) publishers.set('console', new ConsolePublisher(process.stdout, styleFor(process.stdout)));
  const scheduler = new Scheduler({
    store: app.store,
    summariser: app.summariser,
    publishers,
    clock: app.clock,
    logger,
    metrics: app.metrics,
    source: app.source,
    configuredChannels: consoleOnly ? [CONSOLE_CHANNEL] : config.DIGEST_CHANNELS,
    defaults: app.commands.defaults,
    syncIntervalMinutes: config.SYNC_INTERVAL_MINUTES,
    lateRecheckHours: config.LATE_RECHECK_HOURS,
  });
  app.commands.onSettingsChanged = () => void scheduler.rebuild();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await scheduler.stop();
    for (const adapter of adapters) await adapter.stop().catch(() => undefined);
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await syncRecent(app, START_SYNC_DAYS);
  if (consoleOnly) {
    await printConsoleDigest(app);
    process.stdout.write(styleFor(process.stdout).dim(`Next digest ${config.DIGEST_TIME} ${config.DIGEST_TIMEZONE}. Connect Slack or Discord in .env (see README). Ctrl+C stops.\n`));
  }
  await scheduler.start();
}

async function syncRecent(app: App, days: number): Promise<void> {
  const { from, to } = recentDays(days, app.clock);
  const progress = progressPrinter(process.stderr);
  const started = performance.now();
  try {
    const report = await syncDays({ source: app.source, store: app.store, clock: app.clock, logger: app.logger }, { from, to, onProgress: progress.update });
    app.metrics.syncDuration.observe((performance.now() - started) / 1000);
    progress.done();
    if (report.failedDays === report.days.length) {
      process.stderr.write(`Hugging Face sync failed: ${report.days[0]?.error ?? 'unknown error'}. Showing what is stored; retrying on schedule.\n`);
    }
  } catch (error) {
    progress.done();
    app.logger.error({ err: errorMessage(error) }, 'sync failed');
  }
}

async function printConsoleDigest(app: App): Promise<void> {
  const { config } = app;
  const digest = await buildDailyDigest(
    { store: app.store, summariser: app.summariser, clock: app.clock },
    { channel: CONSOLE_CHANNEL, size: config.DIGEST_SIZE, timeZone: config.DIGEST_TIMEZONE, skipReceived: false },
  );
  if (!digest || digest.items.length === 0) {
    process.stdout.write('No papers stored yet; the next sync will bring them.\n');
    return;
  }
  // The console is a preview: release the key so each run prints, rather than "already delivered".
  const publisher = new ConsolePublisher(process.stdout, styleFor(process.stdout));
  await deliverDigest({ ledger: app.store, publisher, clock: app.clock }, CONSOLE_CHANNEL, digest, { force: true });
}
