import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import type { ArtifactSource, PaperSource } from '../src/papers/source.js';
import { NO_ARTIFACTS } from '../src/papers/artifacts.js';
import { FOLLOW_LEASE } from '../src/schedule/follow-watch.js';
import { Scheduler, syncExpression, type CronLike } from '../src/schedule/scheduler.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import type { ChannelSettings } from '../src/store/store.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { listingsFor, makePaper } from './support/papers.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const berlin: ChannelRef = { platform: 'slack', id: 'C0BERLIN1' };
const newYork: ChannelRef = { platform: 'slack', id: 'C0NEWYORK' };

class FakeCron implements CronLike {
  jobs: { expression: string; timezone: string; stopped: boolean; task: () => void | Promise<void> }[] = [];
  schedule(expression: string, task: () => void | Promise<void>, options: { timezone: string }) {
    const job = { expression, timezone: options.timezone, stopped: false, task };
    this.jobs.push(job);
    return { stop: () => void (job.stopped = true) };
  }
  active(): string[] {
    return this.jobs.filter((j) => !j.stopped).map((j) => `${j.expression} ${j.timezone}`).sort();
  }
}

interface Harness {
  store: SqliteStore;
  publisher: ThreadPublisher;
  scheduler: Scheduler;
  cron: FakeCron;
  setNow(iso: string): void;
  settings(channel: ChannelRef, patch: Partial<ChannelSettings>): Promise<void>;
}

function harness(options: { configured?: ChannelRef[]; lateRecheckHours?: number; source?: PaperSource & Partial<ArtifactSource> } = {}): Harness {
  const store = openSqliteStore(':memory:');
  const publisher = new ThreadPublisher('slack');
  let now = new Date('2026-05-18T00:00:00Z');
  const clock = () => now;
  const cron = new FakeCron();
  const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock });
  const publishers = new Map<string, ChannelPublisher>([['slack', publisher]]);
  const source = { paperArtifacts: async () => null, ...(options.source ?? { dailyPapers: async () => [], searchPapers: async () => [], getPaper: async () => null }) };
  const scheduler = new Scheduler({
    store,
    summariser,
    publishers,
    clock,
    logger: silentLogger,
    source,
    configuredChannels: options.configured ?? [],
    defaults: { time: '09:00', timeZone: 'UTC', size: 3 },
    syncIntervalMinutes: 60,
    lateRecheckHours: options.lateRecheckHours ?? 6,
    cron,
  });
  return {
    store,
    publisher,
    scheduler,
    cron,
    setNow: (iso) => (now = new Date(iso)),
    async settings(channel, patch) {
      await store.saveChannelSettings({ channel, time: '09:00', timeZone: 'UTC', size: 3, paused: false, emptyDayNote: false, ...patch });
    },
  };
}

const at = new Date('2026-05-01T00:00:00Z');
async function seedDay(store: SqliteStore, day: string, ids: string[], extra: Partial<Parameters<typeof makePaper>[0]> = {}) {
  await store.saveDay(day, listingsFor(day, ids.map((id, i) => makePaper({ id, upvotes: 100 - i, ...extra }))), at);
}

describe('Scheduler', () => {
  it('keeps one job per distinct (time, timezone) and rebuilds when settings change', async () => {
    const h = harness({ configured: [berlin] });
    await h.settings(newYork, { time: '08:30', timeZone: 'America/New_York' });
    await h.settings({ platform: 'slack', id: 'C0NEWYORK2' }, { time: '08:30', timeZone: 'America/New_York' });
    await h.scheduler.rebuild();
    expect(h.scheduler.jobKeys).toEqual(['08:30|America/New_York', '09:00|UTC']);
    expect(h.cron.active()).toEqual(['0 9 * * * UTC', '30 8 * * * America/New_York']);

    await h.settings(berlin, { time: '07:15', timeZone: 'Europe/Berlin' });
    await h.settings(newYork, { time: '08:30', timeZone: 'America/New_York', paused: true });
    await h.scheduler.rebuild();
    expect(h.scheduler.jobKeys).toEqual(['07:15|Europe/Berlin', '08:30|America/New_York']);
    await h.settings({ platform: 'slack', id: 'C0NEWYORK2' }, { paused: true });
    await h.scheduler.rebuild();
    expect(h.scheduler.jobKeys).toEqual(['07:15|Europe/Berlin']);
  });

  it('posts at local time across DST changes in Berlin (02:30 skipped → 03:00) and New York', async () => {
    const h = harness();
    await h.settings(berlin, { time: '02:30', timeZone: 'Europe/Berlin' });
    await h.settings(newYork, { time: '08:30', timeZone: 'America/New_York' });
    await seedDay(h.store, '2026-03-27', ['2603.00001', '2603.00002']);
    await seedDay(h.store, '2026-03-29', ['2603.00011']);
    await seedDay(h.store, '2026-03-08', ['2603.00021']);

    // New York springs forward on 8 March: 08:30 EDT is 12:30 UTC (it was 13:30 the day before).
    h.setNow('2026-03-08T12:29:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.parents.filter((p) => p.channel === 'slack:C0NEWYORK')).toEqual([]);
    h.setNow('2026-03-08T12:30:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.parents.filter((p) => p.channel === 'slack:C0NEWYORK').map((p) => p.key)).toEqual(['daily:2026-03-08']);

    // Berlin springs forward on 29 March at 02:00: 02:30 never happens; the digest runs at 03:00 CEST (01:00 UTC).
    const berlinKeys = () => h.publisher.parents.filter((p) => p.channel === 'slack:C0BERLIN1').map((p) => p.key);
    h.setNow('2026-03-29T00:59:00Z');
    await h.scheduler.sweep();
    expect(berlinKeys()).not.toContain('daily:2026-03-29');
    h.setNow('2026-03-29T01:00:00Z');
    await h.scheduler.sweep();
    expect(berlinKeys()).toContain('daily:2026-03-29');

    // Autumn: Berlin's 02:30 happens twice on 25 October; one digest only.
    await seedDay(h.store, '2026-10-25', ['2610.00001']);
    for (const iso of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-10-25T02:00:00Z']) {
      h.setNow(iso);
      await h.scheduler.sweep();
    }
    expect(h.publisher.parents.filter((p) => p.key === 'daily:2026-10-25')).toHaveLength(1);
  });

  it('catches up a digest missed while down, the same local day only', async () => {
    const h = harness({ configured: [berlin] });
    await seedDay(h.store, '2026-05-18', ['2605.00001', '2605.00002']);
    // Down at 09:00 UTC; started at 15:00 the same day: posted at start.
    h.setNow('2026-05-18T15:00:00Z');
    await h.scheduler.start();
    expect(h.publisher.papersIn('slack:C0BERLIN1')).toEqual(['2605.00001', '2605.00002']);
    // A restart later that day posts nothing again.
    await h.scheduler.sweep();
    expect(h.publisher.parents).toHaveLength(1);
    await h.scheduler.stop();
  });

  it('a restart after midnight does not post the previous day before its own slot', async () => {
    const h = harness({ configured: [berlin] });
    await seedDay(h.store, '2026-05-18', ['2605.00001']);
    h.setNow('2026-05-19T00:30:00Z');
    await h.scheduler.start();
    expect(h.publisher.parents).toEqual([]);
    await h.scheduler.stop();
  });

  it('skips days with nothing new; a channel that asks gets one short note', async () => {
    const h = harness();
    await h.settings(berlin, {});
    await h.settings(newYork, { emptyDayNote: true });
    await seedDay(h.store, '2026-05-15', ['2605.00001']);
    h.setNow('2026-05-15T09:00:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.parents).toHaveLength(2);
    // Saturday: HF has nothing newer than Friday, already delivered.
    await h.store.saveDay('2026-05-16', [], at);
    h.setNow('2026-05-16T09:00:00Z');
    await h.scheduler.sweep();
    h.setNow('2026-05-16T09:05:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.parents).toHaveLength(2);
    expect(h.publisher.notices.map((n) => n.channel)).toEqual(['slack:C0NEWYORK']);
  });

  it('pauses a channel that is gone and keeps posting to the rest', async () => {
    const h = harness({ configured: [berlin, newYork] });
    await seedDay(h.store, '2026-05-18', ['2605.00001']);
    h.publisher.unavailable.add('slack:C0BERLIN1');
    h.setNow('2026-05-18T09:00:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.papersIn('slack:C0NEWYORK')).toEqual(['2605.00001']);
    const paused = await h.store.getChannelSettings(berlin);
    expect(paused).toMatchObject({ paused: true });
    expect(paused?.pausedReason).toContain('channel_not_found');
    await h.scheduler.rebuild();
    expect(h.scheduler.jobKeys).toEqual(['09:00|UTC']);
  });

  it('posts late additions once as one reply and refreshes the parent', async () => {
    const h = harness({ configured: [berlin], lateRecheckHours: 6 });
    await seedDay(h.store, '2026-05-18', ['2605.00001', '2605.00002', '2605.00003', '2605.00004']);
    h.setNow('2026-05-18T09:00:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.papersIn('slack:C0BERLIN1')).toEqual(['2605.00001', '2605.00002', '2605.00003']);
    // The day grows: a new paper climbs into the top 3 and upvotes rise.
    await h.store.saveDay('2026-05-18', listingsFor('2026-05-18', [
      makePaper({ id: '2605.00009', upvotes: 500 }),
      makePaper({ id: '2605.00001', upvotes: 300 }),
      makePaper({ id: '2605.00002', upvotes: 200 }),
      makePaper({ id: '2605.00003', upvotes: 150 }),
    ]), at);
    h.setNow('2026-05-18T14:59:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.groups).toEqual([]);
    h.setNow('2026-05-18T15:00:00Z');
    await h.scheduler.sweep();
    h.setNow('2026-05-18T15:05:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.groups.map((g) => [g.heading, g.paperIds])).toEqual([['Late additions', ['2605.00009']]]);
    expect(h.publisher.groups[0]!.parent).toBe(h.publisher.parents[0]!.id);
    expect(h.publisher.updates).toHaveLength(1);
    expect(h.publisher.updates[0]!.digest.items.map((i) => [i.paper.id, i.paper.upvotes])).toEqual([
      ['2605.00001', 300],
      ['2605.00002', 200],
      ['2605.00003', 150],
      ['2605.00009', 500],
    ]);
  });

  it('alerts new papers matching subscriptions once per channel, naming the subscription, skipping digest papers', async () => {
    const days: Record<string, ReturnType<typeof listingsFor>> = {};
    const source: PaperSource = { dailyPapers: async (day) => days[day] ?? [], searchPapers: async () => [], getPaper: async () => null };
    const h = harness({ configured: [berlin], source });
    h.setNow('2026-05-18T08:00:00Z');
    await h.store.addSubscription(berlin, 'grokking', 'U1', at);
    await h.store.addSubscription(berlin, '"sparse attention"', 'U1', at);
    await h.store.addSubscription(newYork, 'diffusion -survey', 'U2', at);
    await h.scheduler.syncAndAlert(); // first run: sets the watermark, alerts nothing old
    days['2026-05-18'] = listingsFor('2026-05-18', [
      makePaper({ id: '2605.00001', title: 'Grokking with Sparse Attention' }),
      makePaper({ id: '2605.00002', title: 'Diffusion Models Are Fast' }),
      makePaper({ id: '2605.00003', title: 'A Survey of Diffusion' }),
      makePaper({ id: '2605.00004', title: 'Unrelated Robotics' }),
    ]);
    h.setNow('2026-05-18T08:30:00Z');
    await h.scheduler.syncAndAlert();
    const berlinAlert = h.publisher.items.filter((i) => i.channel === 'slack:C0BERLIN1');
    expect(berlinAlert.map((i) => [i.paperId, i.matched])).toEqual([['2605.00001', 'grokking']]);
    expect(h.publisher.items.filter((i) => i.channel === 'slack:C0NEWYORK').map((i) => i.paperId)).toEqual(['2605.00002']);
    expect(h.publisher.parents.map((p) => p.title)).toEqual(['1 new paper for your subscriptions', '1 new paper for your subscriptions']);

    // At 09:00 the digest leaves out the paper the channel already got as an alert.
    h.setNow('2026-05-18T09:00:00Z');
    await h.scheduler.sweep();
    expect(h.publisher.papersIn('slack:C0BERLIN1')).toEqual(['2605.00001', '2605.00002', '2605.00003', '2605.00004']);
    // A later sync with no new papers alerts nothing.
    h.setNow('2026-05-18T10:00:00Z');
    await h.scheduler.syncAndAlert();
    expect(h.publisher.parents.filter((p) => p.key.startsWith('alert:'))).toHaveLength(2);
  });

  it('writes sync intervals as cron expressions', () => {
    expect(syncExpression(15)).toBe('*/15 * * * *');
    expect(syncExpression(60)).toBe('7 */1 * * *');
    expect(syncExpression(180)).toBe('7 */3 * * *');
    expect(syncExpression(1440)).toBe('7 0 * * *');
  });
});

describe('followed papers', () => {
  it('are checked by an hourly job, by one process at a time, and after each sync', async () => {
    const paper = makePaper({ id: '2605.15320', title: 'Followed' });
    let models: string[] = [];
    const h = harness({
      source: { dailyPapers: async () => [], searchPapers: async () => [], getPaper: async () => null, paperArtifacts: async () => ({ paper, artifacts: { githubRepo: null, models, datasets: [] } }) },
    });
    h.setNow('2026-05-18T10:00:00Z');
    await h.store.addFollow({ channel: berlin, paperId: paper.id, replyTo: { id: '1779000000.000100', threadId: null }, followedBy: 'U1', at: new Date('2026-05-18T09:00:00Z'), announced: NO_ARTIFACTS });
    await h.scheduler.start();
    const job = h.cron.jobs.find((j) => j.expression === '23 * * * *' && j.timezone === 'UTC')!;
    expect(job).toBeDefined();

    models = ['acme/followed-7b'];
    // Another replica holds the check: this one skips the round.
    await h.store.acquireLease(FOLLOW_LEASE, 'other-replica', new Date(), new Date(Date.now() + 60_000));
    await job.task();
    expect(h.publisher.followUpdates).toEqual([]);
    await h.store.releaseLease(FOLLOW_LEASE, 'other-replica');

    await job.task();
    expect(h.publisher.followUpdates.map((u) => [u.channel, u.replyTo?.id, u.update.found.models])).toEqual([['slack:C0BERLIN1', '1779000000.000100', ['acme/followed-7b']]]);

    models = ['acme/followed-7b', 'acme/followed-13b'];
    await h.scheduler.syncAndAlert();
    expect(h.publisher.followUpdates.map((u) => u.update.found.models)).toEqual([['acme/followed-7b'], ['acme/followed-13b']]);
    await h.scheduler.stop(100);
  });
});
