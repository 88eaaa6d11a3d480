import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostPacer } from '../adapters/slack/pacer.js';
import { RecentKeys } from '../src/http/recent-keys.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import type { PaperSource } from '../src/papers/source.js';
import { Scheduler, type CronLike } from '../src/schedule/scheduler.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { ThreadPublisher } from './support/thread-publisher.js';

/**
 * Several processes on one store (SQLite file here; the same port on PostgreSQL): what each replica would do on
 * its own must happen once between them. Each "replica" below is its own connection to the shared file.
 */
function replicas(count: number): SqliteStore[] {
  const path = join(mkdtempSync(join(tmpdir(), 'paperboy-replicas-')), 'paperboy.db');
  return Array.from({ length: count }, () => openSqliteStore(path));
}

const noCron: CronLike = { schedule: () => ({ stop: () => undefined }) };

describe('replicas sharing one store', () => {
  it('a request Slack retries is handled once, whichever replica it reaches', async () => {
    const [a, b] = replicas(2);
    const clock = () => new Date();
    const first = new RecentKeys('slack', clock, a);
    const second = new RecentKeys('slack', clock, b);
    expect(await first.seen('command:abc')).toBe(false);
    expect(await second.seen('command:abc')).toBe(true);
    expect(await first.seen('command:abc')).toBe(true);
    expect(await second.seen('command:other')).toBe(false);
  });

  it("keeps each Slack channel's one post a second across replicas", async () => {
    const stores = replicas(2);
    // Per replica, in order: the slot the shared store gave each post, and when the post started.
    const slots: number[][] = [[], []];
    const starts: number[][] = [[], []];
    const pacers = stores.map(
      (store, r) =>
        new PostPacer({
          intervalMs: 60,
          workspacePerMinute: null,
          shared: async (channel, interval) => {
            const slot = await store.reserveSlot(`slack:${channel}`, interval, new Date());
            slots[r]!.push(slot);
            return slot;
          },
        }),
    );
    // Both replicas post three messages to one channel at once.
    await Promise.all(pacers.flatMap((pacer, r) => [1, 2, 3].map(() => pacer.run('C0SHARED1', async () => void starts[r]!.push(Date.now())))));
    // The replicas' slots are an interval apart, and no post starts before its slot. (Gaps between actual starts
    // are not the check: on a busy machine a post can start late, and the next, on time, then looks close to it.)
    const all = slots.flat().sort((x, y) => x - y);
    expect(all).toHaveLength(6);
    for (let i = 1; i < all.length; i++) expect(all[i]! - all[i - 1]!).toBeGreaterThanOrEqual(60);
    for (const r of [0, 1]) starts[r]!.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(slots[r]![i]! - 1));
  });

  it('syncs (and sends alerts) in one replica at a time', async () => {
    const stores = replicas(3);
    let requests = 0;
    const source: PaperSource = {
      dailyPapers: async () => {
        requests++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [];
      },
      searchPapers: async () => [],
      getPaper: async () => null,
    };
    const clock = () => new Date();
    const schedulers = stores.map(
      (store, i) =>
        new Scheduler({
          store,
          summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock }),
          publishers: new Map<string, ChannelPublisher>([['slack', new ThreadPublisher()]]),
          clock,
          logger: silentLogger,
          source: { ...source, paperArtifacts: async () => null },
          configuredChannels: [],
          defaults: { time: '09:00', timeZone: 'UTC', size: 3 },
          syncIntervalMinutes: 60,
          lateRecheckHours: 0,
          lease: { owner: `replica-${i}`, ms: 30_000 },
          cron: noCron,
        }),
    );
    await Promise.all(schedulers.map((scheduler) => scheduler.syncAndAlert()));
    // One replica fetched the last three days; the other two skipped the round.
    expect(requests).toBe(3);
    for (const scheduler of schedulers) await scheduler.stop();
  });
});
