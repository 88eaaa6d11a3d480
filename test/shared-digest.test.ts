import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import type { PostedMessage } from '../src/delivery/publisher.js';
import type { Digest } from '../src/digest/digest.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import type { ChannelSettings } from '../src/store/store.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { paper } from './fixtures/summarise/papers.js';
import { listingsFor } from './support/papers.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const slack = (id: string): ChannelRef => ({ platform: 'slack', id });
const settings = (id: string, size: number, language: string | null = null): ChannelSettings => ({
  channel: slack(id),
  time: '09:00',
  timeZone: 'UTC',
  size,
  paused: false,
  emptyDayNote: false,
  language,
});

/** Keeps the digest each parent was posted for, to see which channels were handed the same one. */
class DigestRecorder extends ThreadPublisher {
  readonly digests = new Map<string, Digest>();
  override async postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage> {
    this.digests.set(channel.id, digest);
    return super.postParent(channel, digest);
  }
}

describe('a scheduled run shares one digest among channels that would build the same one', () => {
  it('fresh channels of one size, language and workspace share it; history, size, language or workspace give their own', async () => {
    const store = openSqliteStore(':memory:');
    const [p1, p2, p3] = ['2605.00001', '2605.00002', '2605.00003'].map((id) => paper({ id, title: `Paper ${id}` }));
    await store.saveDay('2026-05-17', listingsFor('2026-05-17', [p1!]), new Date('2026-05-17T08:00:00Z'));
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [p1!, p2!, p3!]), new Date('2026-05-18T08:00:00Z'));
    const publisher = new DigestRecorder('slack');
    publisher.workspaces.set('C0OTHERWS1', 'T0OTHER');
    const summariser = createSummariser({ config: parseConfig({}), cache: store, logger: silentLogger });
    const deps = (day: string) => ({ store, summariser, publishers: new Map([['slack', publisher]]), clock: () => new Date(`${day}T10:00:00Z`), logger: silentLogger });

    // Yesterday C0SEEN0001 got paper 1.
    await runDailyDigests(deps('2026-05-17'), [settings('C0SEEN0001', 2)], new Date('2026-05-17T10:00:00Z'));
    const channels = [
      settings('C0FRESH001', 2),
      settings('C0FRESH002', 2),
      settings('C0SEEN0001', 2),
      settings('C0BIGGER01', 3),
      settings('C0GERMAN01', 2, 'de'),
      settings('C0OTHERWS1', 2),
    ];
    const results = await runDailyDigests(deps('2026-05-18'), channels, new Date('2026-05-18T10:00:00Z'));
    expect(results.map((r) => ('outcome' in r ? r.outcome.status : r.error.code))).toEqual(Array(6).fill('delivered'));

    const digest = (id: string) => publisher.digests.get(id)!;
    const ids = (id: string) => digest(id).items.map((item) => item.paper.id);
    expect(digest('C0FRESH002')).toBe(digest('C0FRESH001'));
    expect(ids('C0FRESH001')).toEqual([p1!.id, p2!.id]);
    // Paper 1 is a pointer there, not a post: that channel's history shapes its digest.
    expect(ids('C0SEEN0001')).toEqual([p2!.id, p3!.id]);
    expect(digest('C0SEEN0001').discussed?.map((entry) => entry.paper.id)).toEqual([p1!.id]);
    expect(ids('C0BIGGER01')).toEqual([p1!.id, p2!.id, p3!.id]);
    for (const own of ['C0SEEN0001', 'C0BIGGER01', 'C0GERMAN01', 'C0OTHERWS1']) expect(digest(own)).not.toBe(digest('C0FRESH001'));
    expect(ids('C0GERMAN01')).toEqual(ids('C0FRESH001'));

    // The next run builds afresh: a shared digest lives for one run.
    await store.saveDay('2026-05-19', listingsFor('2026-05-19', [p3!]), new Date('2026-05-19T08:00:00Z'));
    await runDailyDigests(deps('2026-05-19'), [settings('C0FRESH003', 2)], new Date('2026-05-19T10:00:00Z'));
    expect(ids('C0FRESH003')).toEqual([p3!.id]);
    await store.close();
  });
});
