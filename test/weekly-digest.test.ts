import { describe, expect, it } from 'vitest';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import type { ChannelRef } from '../src/channel.js';
import { applySettings } from '../src/commands/settings.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { silentLogger } from '../src/logger.js';
import type { Paper } from '../src/papers/paper.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import type { ScheduleDeps } from '../src/schedule/schedule-deps.js';
import { Scheduler, type CronLike } from '../src/schedule/scheduler.js';
import { isoWeek, parseWeekday } from '../src/schedule/weekdays.js';
import { runWeeklyDigests } from '../src/schedule/weekly-digests.js';
import type { ChannelSettings, Store } from '../src/store/store.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { listingsFor, makePaper } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const berlin: ChannelRef = { platform: 'slack', id: 'C0WEEKLY1' };
const base: ChannelSettings = { channel: berlin, time: '08:00', timeZone: 'UTC', size: 3, paused: false, emptyDayNote: false, weekly: null };

describe('settings weekly', () => {
  it('takes a short or full day name and a time, and off', () => {
    expect(applySettings(base, ['weekly', 'mon', '9:00'])).toMatchObject({ weekly: { day: 'mon', time: '09:00' } });
    expect(applySettings(base, ['weekly', 'Sunday', '18:30', 'size', '5'])).toMatchObject({ weekly: { day: 'sun', time: '18:30' }, size: 5 });
    expect(applySettings({ ...base, weekly: { day: 'fri', time: '17:00' } }, ['weekly', 'off', 'size', '4'])).toMatchObject({ weekly: null, size: 4 });
    // The daily schedule is untouched: both run.
    expect(applySettings(base, ['weekly', 'WEDNESDAY', '07:05'])).toMatchObject({ time: '08:00', weekly: { day: 'wed', time: '07:05' } });
  });

  it('refuses a bad day or time with a clear message, whatever else the command held', () => {
    expect(applySettings(base, ['weekly', 'funday', '09:00'])).toMatch(/“?funday”? is not a day like mon or Monday/);
    expect(applySettings(base, ['size', '5', 'weekly', 'mon', '25:00'])).toMatch(/is not a time like 09:00/);
    expect(applySettings(base, ['weekly', 'mon'])).toBe('Nothing is not a time like 09:00.');
    expect(applySettings(base, ['weekly'])).toMatch(/^Nothing is not a day/);
    expect(applySettings(base, ['weekly', 'mo', '09:00'])).toMatch(/not a day/);
  });

  it('names weeks and days the ISO way', () => {
    expect(isoWeek('2026-11-29')).toBe('2026-W48');
    expect(isoWeek('2026-11-30')).toBe('2026-W49');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(parseWeekday('Thursday')).toBe('thu');
    expect(parseWeekday('thurs')).toBeNull();
  });
});

const seeded = new Date('2026-11-01T00:00:00Z');
async function seedDay(store: Store, day: string, papers: Paper[]) {
  await store.saveDay(day, listingsFor(day, papers), seeded);
}

function depsFor(store: Store, publisher: ThreadPublisher, now: { at: Date }): ScheduleDeps {
  const clock = () => now.at;
  return {
    store,
    summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock }),
    publishers: new Map<string, ChannelPublisher>([['slack', publisher]]),
    clock,
    logger: silentLogger,
  };
}

describe.each(EACH_BACKEND)('weekly digests on %s', (_, backend) => {
  const open = useBackend(backend);

  it('stores the weekly schedule beside the daily one, and clears it', async () => {
    const store = open();
    await store.saveChannelSettings({ ...base, weekly: { day: 'mon', time: '09:00' } });
    expect(await store.getChannelSettings(berlin)).toMatchObject({ time: '08:00', weekly: { day: 'mon', time: '09:00' } });
    expect((await store.listChannelSettings())[0]).toMatchObject({ weekly: { day: 'mon', time: '09:00' } });
    await store.saveChannelSettings({ ...base, weekly: null });
    expect((await store.getChannelSettings(berlin))?.weekly).toBeNull();
  });

  it("posts the 7 days before, deduplicated, by highest upvotes, top `size`; once, and daily papers aren't skipped", async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    const now = { at: new Date('2026-11-30T07:59:00Z') };
    const deps = depsFor(store, publisher, now);
    await seedDay(store, '2026-11-22', [makePaper({ id: '2611.00900', upvotes: 999 })]); // eight days before: out
    await seedDay(store, '2026-11-23', [makePaper({ id: '2611.00001', upvotes: 40 }), makePaper({ id: '2611.00002', upvotes: 30 })]);
    await seedDay(store, '2026-11-25', [makePaper({ id: '2611.00003', upvotes: 20 }), makePaper({ id: '2611.00004', upvotes: 5 })]);
    // Re-listed two days later with more upvotes: one entry, at its highest count.
    await seedDay(store, '2026-11-27', [makePaper({ id: '2611.00003', upvotes: 80 }), makePaper({ id: '2611.00005', upvotes: 35 })]);
    await seedDay(store, '2026-11-29', [makePaper({ id: '2611.00006', upvotes: 1 })]);
    await seedDay(store, '2026-11-30', [makePaper({ id: '2611.00901', upvotes: 500 })]); // the fire day itself: out
    // Berlin: Monday 09:00 is 08:00 UTC in winter.
    const settings: ChannelSettings = { ...base, timeZone: 'Europe/Berlin', time: '07:00', weekly: { day: 'mon', time: '09:00' } };
    await store.saveChannelSettings(settings);

    // The channel already got the top paper in a daily digest: a recap includes it anyway.
    const daily = await buildDailyDigest(deps, { channel: berlin, workspace: LOCAL_WORKSPACE, size: 1, timeZone: 'Europe/Berlin', day: '2026-11-27' });
    expect(daily!.items.map((item) => item.paper.id)).toEqual(['2611.00003']);
    await deliverDigest({ ledger: store, publisher, clock: deps.clock }, berlin, daily!);

    expect(await runWeeklyDigests(deps, [settings], now.at)).toEqual([]);
    now.at = new Date('2026-11-30T08:00:00Z');
    const [result] = await runWeeklyDigests(deps, [settings], now.at);
    expect(result).toMatchObject({ outcome: { status: 'delivered', posted: 3 } });
    const weekly = publisher.parents.filter((parent) => parent.key.startsWith('weekly:'));
    expect(weekly).toEqual([expect.objectContaining({ key: 'weekly:2026-W48', title: 'Top papers of the week · Mon 23 Nov – Sun 29 Nov' })]);
    expect(publisher.items.filter((item) => item.parent === weekly[0]!.id).map((item) => item.paperId)).toEqual(['2611.00003', '2611.00001', '2611.00005']);

    // Reruns (the sweep, a restart, the cron job) post nothing more.
    for (const iso of ['2026-11-30T08:05:00Z', '2026-11-30T22:59:00Z']) {
      now.at = new Date(iso);
      const [again] = await runWeeklyDigests({ ...deps, publishers: new Map([['slack', publisher.restarted()]]) }, [settings], now.at);
      expect(again).toMatchObject({ outcome: { status: 'empty' } });
    }
    expect(publisher.parents.filter((parent) => parent.key.startsWith('weekly:'))).toHaveLength(1);

    // What the weekly recap posted still counts as new for a daily digest; what a daily digest posted does not.
    const recapped = await buildDailyDigest(deps, { channel: berlin, workspace: LOCAL_WORKSPACE, size: 3, timeZone: 'Europe/Berlin', day: '2026-11-23' });
    expect(recapped).toMatchObject({ items: [{ paper: { id: '2611.00001' } }, { paper: { id: '2611.00002' } }], alreadyReceived: 0 });
    expect(await store.receivedPaperIds(berlin, ['2611.00001', '2611.00003', '2611.00005'])).toEqual(new Set(['2611.00003']));
  });

  it('catches up a weekly digest missed while down, that local day only; the daily one runs on its own', async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    const now = { at: new Date('2026-12-01T09:30:00Z') }; // Tuesday
    const deps = depsFor(store, publisher, now);
    await seedDay(store, '2026-11-26', [makePaper({ id: '2611.00011', upvotes: 9 })]);
    await seedDay(store, '2026-11-30', [makePaper({ id: '2611.00012', upvotes: 3 })]);
    const settings: ChannelSettings = { ...base, time: '09:00', weekly: { day: 'mon', time: '09:00' } };

    // Down all Monday: on Tuesday the missed weekly digest is not posted late, the daily one is.
    expect(await runWeeklyDigests(deps, [settings], now.at)).toEqual([]);
    await runDailyDigests(deps, [settings], now.at);
    expect(publisher.parents.map((parent) => parent.key)).toEqual(['daily:2026-11-30']);

    // Up again on Monday evening, hours after 09:00: posted then.
    now.at = new Date('2026-12-07T21:00:00Z');
    await seedDay(store, '2026-12-04', [makePaper({ id: '2612.00001', upvotes: 7 })]);
    const [result] = await runWeeklyDigests(deps, [settings], now.at);
    expect(result).toMatchObject({ outcome: { status: 'delivered', posted: 2 } });
    expect(publisher.parents.map((parent) => parent.key)).toContain('weekly:2026-W49');
    // A paused channel gets no weekly digest either.
    now.at = new Date('2026-12-14T10:00:00Z');
    await seedDay(store, '2026-12-10', [makePaper({ id: '2612.00002', upvotes: 7 })]);
    expect(await runWeeklyDigests(deps, [{ ...settings, paused: true }], now.at)).toEqual([]);
  });
});

class FakeCron implements CronLike {
  jobs: { expression: string; timezone: string; stopped: boolean }[] = [];
  schedule(expression: string, _task: () => void | Promise<void>, options: { timezone: string }) {
    const job = { expression, timezone: options.timezone, stopped: false };
    this.jobs.push(job);
    return { stop: () => void (job.stopped = true) };
  }
  active(): string[] {
    return this.jobs.filter((j) => !j.stopped).map((j) => `${j.expression} ${j.timezone}`).sort();
  }
}

describe('weekly digests in the scheduler', () => {
  const open = useBackend(EACH_BACKEND[0]![1]);

  it("fires at the weekday's local time across DST changes (Berlin's skipped 02:30, New York's spring forward)", async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    let now = new Date('2026-03-01T00:00:00Z');
    const cron = new FakeCron();
    const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock: () => now });
    const scheduler = new Scheduler({
      store,
      summariser,
      publishers: new Map([['slack', publisher]]),
      clock: () => now,
      logger: silentLogger,
      source: { dailyPapers: async () => [], paperArtifacts: async () => null },
      configuredChannels: [],
      defaults: { time: '09:00', timeZone: 'UTC', size: 3 },
      syncIntervalMinutes: 60,
      lateRecheckHours: 0,
      cron,
    });
    const newYork: ChannelRef = { platform: 'slack', id: 'C0WEEKLYNY' };
    await store.saveChannelSettings({ ...base, time: '23:00', timeZone: 'Europe/Berlin', weekly: { day: 'sun', time: '02:30' } });
    await store.saveChannelSettings({ ...base, channel: newYork, time: '23:00', timeZone: 'America/New_York', weekly: { day: 'mon', time: '09:00' } });
    await seedDay(store, '2026-03-24', [makePaper({ id: '2603.00001', upvotes: 9 })]);
    await seedDay(store, '2026-03-04', [makePaper({ id: '2603.00002', upvotes: 9 })]);
    await scheduler.rebuild();
    expect(cron.active()).toEqual(['0 23 * * * America/New_York', '0 23 * * * Europe/Berlin', '0 9 * * 1 America/New_York', '30 2 * * 0 Europe/Berlin']);

    const weeklyKeys = (channel: string) => publisher.parents.filter((p) => p.channel === channel && p.key.startsWith('weekly:')).map((p) => p.key);
    // New York springs forward on Sunday 8 March: Monday 09:00 EDT is 13:00 UTC (it was 14:00 the week before).
    now = new Date('2026-03-09T12:59:00Z');
    await scheduler.sweep();
    expect(weeklyKeys('slack:C0WEEKLYNY')).toEqual([]);
    now = new Date('2026-03-09T13:00:00Z');
    await scheduler.sweep();
    expect(weeklyKeys('slack:C0WEEKLYNY')).toEqual(['weekly:2026-W10']);

    // Berlin springs forward on Sunday 29 March at 02:00: 02:30 never happens; it runs at 03:00 CEST (01:00 UTC).
    now = new Date('2026-03-29T00:59:00Z');
    await scheduler.sweep();
    expect(weeklyKeys('slack:C0WEEKLY1')).toEqual([]);
    now = new Date('2026-03-29T01:00:00Z');
    await scheduler.runDigests();
    await scheduler.sweep();
    expect(weeklyKeys('slack:C0WEEKLY1')).toEqual(['weekly:2026-W13']);

    await store.saveChannelSettings({ ...base, time: '23:00', timeZone: 'Europe/Berlin', weekly: null });
    await scheduler.rebuild();
    expect(cron.active()).not.toContain('30 2 * * 0 Europe/Berlin');
    await scheduler.stop();
  });
});
