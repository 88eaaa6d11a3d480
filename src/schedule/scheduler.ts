import nodeCron from 'node-cron';
import type { ChannelRef } from '../channel.js';
import type { DigestDefaults } from '../commands/context.js';
import { errorMessage } from '../errors.js';
import type { ArtifactSource, PaperSource } from '../papers/source.js';
import type { ArxivSource } from '../papers/arxiv.js';
import { syncArxiv } from '../papers/arxiv-sync.js';
import { recentDays, syncDays } from '../papers/sync.js';
import type { ChannelSettings } from '../store/store.js';
import { parseClockTime } from '../time.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { KeyedLock } from '../util/keyed-lock.js';
import { runSubscriptionAlerts } from './alerts.js';
import { scheduledChannels } from './channels.js';
import type { ChannelResult } from '../delivery/fan-out.js';
import { runDailyDigests } from './daily-digests.js';
import { FOLLOW_LEASE, runFollowWatch } from './follow-watch.js';
import { runLateAdditions } from './late-additions.js';
import { WEEKDAYS, type Weekday } from './weekdays.js';
import { runWeeklyDigests } from './weekly-digests.js';
import type { ScheduleDeps } from './schedule-deps.js';

/** The slice of node-cron the scheduler uses, so tests can drive jobs by hand. */
export interface CronLike {
  schedule(expression: string, task: () => void | Promise<void>, options: { timezone: string; name?: string }): { stop(): void | Promise<void> };
}

export interface SchedulerOptions extends ScheduleDeps {
  source: Pick<PaperSource, 'dailyPapers'> & ArtifactSource;
  /** The second source, synced after Hugging Face under the same lease (ARXIV_CATEGORIES). */
  arxiv?: Pick<ArxivSource, 'categories' | 'submissionsSince'> | null;
  configuredChannels: ChannelRef[];
  defaults: DigestDefaults;
  syncIntervalMinutes: number;
  lateRecheckHours: number;
  cron?: CronLike;
}

const SWEEP_EVERY_MINUTES = 5;
/** The lease one process holds while it syncs and sends alerts (`paperboy start` takes it too). */
export const SYNC_LEASE = 'sync';
const SYNC_RECENT_DAYS = 3;
/** Followed papers are checked hourly (off the hour, away from digest slots) and after each sync. */
const FOLLOW_WATCH_EXPRESSION = '23 * * * *';

/**
 * node-cron jobs: one per distinct (time, timezone) among the channels, fired at the digest time; a sweep every
 * few minutes that catches what a job can't (a slot missed while down or skipped by a DST jump, late additions);
 * the periodic sync followed by subscription alerts; and the hourly check of followed papers. Every run goes through the ledger, so overlapping
 * triggers post nothing twice. Jobs are rebuilt when a channel's settings change.
 */
export class Scheduler {
  private readonly cron: CronLike;
  private slotJobs = new Map<string, { stop(): void | Promise<void> }>();
  private fixedJobs: { stop(): void | Promise<void> }[] = [];
  private inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  private syncing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private readonly serial = new KeyedLock();

  constructor(private readonly options: SchedulerOptions) {
    this.cron = options.cron ?? nodeCron;
  }

  async start(): Promise<void> {
    await this.rebuild();
    this.fixedJobs.push(
      this.cron.schedule(`*/${SWEEP_EVERY_MINUTES} * * * *`, () => this.track(this.sweep()), { timezone: 'UTC', name: 'digest-sweep' }),
      this.cron.schedule(syncExpression(this.options.syncIntervalMinutes), () => this.track(this.syncAndAlert()), { timezone: 'UTC', name: 'sync' }),
      this.cron.schedule(FOLLOW_WATCH_EXPRESSION, () => this.track(this.watchFollows()), { timezone: 'UTC', name: 'follow-watch' }),
    );
    // Catch-up: a digest missed while the bot was down is posted now if its local day is still current.
    await this.track(this.sweep());
  }

  /**
   * One job per distinct (time, timezone) and per distinct (weekday, time, timezone) of weekly digests; rebuilt from
   * the store whenever a channel's settings change.
   */
  async rebuild(): Promise<void> {
    const channels = await this.channels();
    const wanted = new Map<string, { time: string; timeZone: string; weekday?: Weekday }>();
    for (const settings of channels) {
      if (settings.paused) continue;
      wanted.set(`${settings.time}|${settings.timeZone}`, settings);
      const weekly = settings.weekly;
      if (weekly) wanted.set(`${weekly.day} ${weekly.time}|${settings.timeZone}`, { time: weekly.time, timeZone: settings.timeZone, weekday: weekly.day });
    }
    for (const [key, job] of this.slotJobs) {
      if (!wanted.has(key)) {
        await job.stop();
        this.slotJobs.delete(key);
      }
    }
    for (const [key, { time, timeZone, weekday }] of wanted) {
      if (this.slotJobs.has(key)) continue;
      const { hour, minute } = parseClockTime(time)!;
      // cron numbers Sunday 0; WEEKDAYS starts on Monday.
      const days = weekday ? String((WEEKDAYS.indexOf(weekday) + 1) % 7) : '*';
      const job = this.cron.schedule(`${minute} ${hour} * * ${days}`, () => this.track(this.runDigests()), { timezone: timeZone, name: `digest ${key}` });
      this.slotJobs.set(key, job);
    }
  }

  get jobKeys(): string[] {
    return [...this.slotJobs.keys()].sort();
  }

  /** Due digests (daily and weekly) for every channel, then late additions; safe to run at any time (runs queue, never overlap). */
  sweep(): Promise<void> {
    return this.serial.run('runs', async () => {
      if (this.stopped) return;
      const { deps, lateRecheckHours } = this.runContext();
      // Settings changed through another replica reach this one's slot jobs here.
      await this.rebuild();
      const channels = await this.channels();
      this.retryHeld(await runDailyDigests(deps, channels, this.options.clock()));
      this.retryHeld(await runWeeklyDigests(deps, channels, this.options.clock()));
      await runLateAdditions(deps, channels, this.options.clock(), lateRecheckHours);
    });
  }

  runDigests(): Promise<void> {
    return this.serial.run('runs', async () => {
      if (this.stopped) return;
      const { deps } = this.runContext();
      const channels = await this.channels();
      this.retryHeld(await runDailyDigests(deps, channels, this.options.clock()));
      this.retryHeld(await runWeeklyDigests(deps, channels, this.options.clock()));
    });
  }

  /**
   * Digests another process holds were skipped: if that process died, its lease runs out and this one resumes
   * them then, instead of at the next five-minute sweep.
   */
  private retryHeld(results: ChannelResult[]): void {
    const until = results.flatMap((result) => ('outcome' in result && result.outcome.status === 'in_progress' ? [result.outcome.leaseUntil.getTime()] : []));
    if (until.length === 0 || this.stopped) return;
    const wait = Math.max(0, Math.min(...until) - this.options.clock().getTime()) + 250;
    if (this.retryTimer && this.retryAt <= Date.now() + wait) return;
    clearTimeout(this.retryTimer);
    this.retryAt = Date.now() + wait;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.track(this.sweep());
    }, wait);
    this.retryTimer.unref();
  }

  /** Sync the last few days, then alert subscribers to new papers. Overlapping calls share one run. */
  syncAndAlert(): Promise<void> {
    this.syncing ??= this.doSyncAndAlert().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /**
   * Followed papers: one process at a time across replicas (the lease), and one run at a time here. Each reply is
   * claimed in the store before it is posted, so even overlapping runs post it once.
   */
  watchFollows(): Promise<void> {
    return this.serial.run('follows', async () => {
      if (this.stopped) return;
      const { store, clock, logger, source } = this.options;
      const owner = attemptOwner(this.options.lease ?? defaultLease());
      if (!(await store.acquireLease(FOLLOW_LEASE, owner, clock(), new Date(clock().getTime() + 30 * 60_000)))) {
        logger.debug('another process is checking followed papers; skipped');
        return;
      }
      try {
        await runFollowWatch({ ...this.runContext().deps, source }, clock());
      } finally {
        await store.releaseLease(FOLLOW_LEASE, owner).catch(() => undefined);
      }
    });
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const job of [...this.slotJobs.values(), ...this.fixedJobs]) await job.stop();
    this.slotJobs.clear();
    this.fixedJobs = [];
    // Let in-flight posts finish; the ledger makes anything cut short resume on the next start.
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async doSyncAndAlert(): Promise<void> {
    if (this.stopped) return;
    const { source, store, clock, logger, metrics } = this.options;
    // Replicas share one store: whichever takes the lease syncs and sends the alerts; the others skip this round.
    const owner = attemptOwner(this.options.lease ?? defaultLease());
    const leaseMs = Math.min(10 * 60_000, (this.options.syncIntervalMinutes * 60_000) / 2);
    if (!(await store.acquireLease(SYNC_LEASE, owner, clock(), new Date(clock().getTime() + leaseMs)))) {
      logger.debug('another process is syncing; skipped');
      return;
    }
    const started = performance.now();
    const { from, to } = recentDays(SYNC_RECENT_DAYS, clock);
    const alertsFrom = clock();
    try {
      const report = await syncDays({ source, store, clock, logger }, { from, to });
      metrics?.syncDuration.observe((performance.now() - started) / 1000);
      if (report.failedDays === report.days.length) logger.warn({ err: report.days[0]?.error }, 'sync failed');
      // Never throws: an arXiv failure is logged and asked again next round, HF's papers are saved regardless.
      if (this.options.arxiv) await syncArxiv({ source: this.options.arxiv, store, clock, logger });
      await runSubscriptionAlerts(this.runContext().deps, alertsFrom);
      // New papers can make a slot that found nothing earlier worth posting now.
      await this.sweep();
      await this.watchFollows();
    } catch (error) {
      logger.error({ err: errorMessage(error) }, 'sync and alerts failed');
      // Let another process try at its next round instead of waiting out the lease.
      await store.releaseLease(SYNC_LEASE, owner).catch(() => undefined);
    }
  }

  private async channels(): Promise<ChannelSettings[]> {
    return scheduledChannels(this.options.store, this.options.configuredChannels, this.options.defaults);
  }

  private runContext(): { deps: ScheduleDeps; lateRecheckHours: number } {
    const { store, summariser, publishers, clock, logger, metrics, lease } = this.options;
    const arxivCategories = this.options.arxiv?.categories ?? [];
    return { deps: { store, summariser, publishers, clock, logger, metrics, lease, arxivCategories }, lateRecheckHours: this.options.lateRecheckHours };
  }

  private track<T>(work: Promise<T>): Promise<T | undefined> {
    const guarded = work.catch((error: unknown) => {
      this.options.logger.error({ err: errorMessage(error) }, 'scheduled run failed');
      return undefined;
    });
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
    return guarded;
  }
}

/** Every N minutes as a cron expression (N divides an hour or a day into whole steps, else hourly). */
export function syncExpression(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  return hours >= 24 ? '7 0 * * *' : `7 */${hours} * * *`;
}
