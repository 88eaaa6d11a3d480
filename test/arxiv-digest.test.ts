import { describe, expect, it } from 'vitest';
import { renderReply } from '../adapters/console/render.js';
import type { ChannelRef } from '../src/channel.js';
import { applySettings } from '../src/commands/settings.js';
import { silentLogger } from '../src/logger.js';
import type { Paper } from '../src/papers/paper.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import { runLateAdditions } from '../src/schedule/late-additions.js';
import type { ScheduleDeps } from '../src/schedule/schedule-deps.js';
import type { ChannelSettings, Store } from '../src/store/store.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { parseConfig } from '../src/config.js';
import { listingsFor, makePaper } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const CATEGORIES = ['cs.CL', 'cs.LG'];
const slack = (id: string): ChannelRef => ({ platform: 'slack', id });
const base: ChannelSettings = { channel: slack('C0SOURCE01'), time: '09:00', timeZone: 'UTC', size: 2, paused: false, emptyDayNote: false, language: null };
/** Tuesday 1 December 2026, an hour after the 09:00 UTC slot. */
const NOW = new Date('2026-12-01T10:00:00Z');
const at = (iso: string) => new Date(iso);
const arxiv = (id: string, publishedAt: string, title = `arXiv ${id}`): Paper => makePaper({ id, publishedAt, title, upvotes: 0 });

describe('settings source', () => {
  it('takes hf, arxiv or both (any case) when ARXIV_CATEGORIES is set', () => {
    const options = { arxivCategories: CATEGORIES };
    expect(applySettings(base, ['source', 'arxiv'], options)).toMatchObject({ source: 'arxiv' });
    expect(applySettings(base, ['source', 'Both', 'size', '25'], options)).toMatchObject({ source: 'both', size: 25 });
    expect(applySettings({ ...base, source: 'both' }, ['source', 'HF'], options)).toMatchObject({ source: 'hf' });
    expect(applySettings(base, ['source', 'reddit'], options)).toBe('“reddit” is not a source: use source hf, arxiv or both.');
    expect(applySettings(base, ['source'], options)).toBe('Nothing is not a source: use source hf, arxiv or both.');
  });

  it('is shown in the settings reply (console; Slack and Discord in arxiv-digest-chat.test.ts) only when not hf', () => {
    const shown = (source: ChannelSettings['source']) => renderReply({ type: 'settings', visibility: 'private', settings: { ...base, source }, changed: false });
    expect(shown('arxiv')).toContain("the daily digest from arXiv: new papers Hugging Face hasn't listed");
    expect(shown('both')).toContain('the daily digest from Hugging Face, then new papers on arXiv');
    expect(shown('hf')).not.toContain('arXiv');
  });

  it('refuses arxiv and both without ARXIV_CATEGORIES (the setting would do nothing), keeps hf and the rest', () => {
    for (const source of ['arxiv', 'both']) {
      const refused = applySettings(base, ['size', '5', 'source', source], { arxivCategories: [] });
      expect(refused).toContain('ARXIV_CATEGORIES');
      expect(typeof refused).toBe('string');
    }
    expect(applySettings(base, ['source', 'hf'])).toMatchObject({ source: 'hf' });
    expect(applySettings({ ...base, source: 'arxiv' }, ['size', '3'])).toMatchObject({ source: 'arxiv', size: 3 });
  });
});

describe.each(EACH_BACKEND)('%s: a daily digest with arXiv papers', (_, backend) => {
  const open = useBackend(backend);

  function deps(store: Store, publisher: ThreadPublisher, arxivCategories: string[] = CATEGORIES): ScheduleDeps {
    const summariser = createSummariser({ config: parseConfig({}), cache: store, clock: () => NOW });
    return { store, summariser, publishers: new Map([['slack', publisher]]), clock: () => NOW, logger: silentLogger, arxivCategories };
  }

  /** HF's Tuesday list, and the arXiv papers the store got around the window [Mon 09:00, Tue 09:00). */
  async function seed(store: Store): Promise<void> {
    await store.addPapers([arxiv('2611.29001', '2026-11-28', 'Before the window')], at('2026-11-30T08:59:00Z'));
    await store.addPapers(
      [arxiv('2611.30001', '2026-11-30', 'Monday evening'), arxiv('2611.29999', '2026-11-29', 'Sunday submission'), arxiv('2611.30050', '2026-11-30', 'Also on HF'), arxiv('2611.30060', '2026-11-30', 'Sent by an alert')],
      at('2026-11-30T20:00:00Z'),
    );
    await store.addPapers([arxiv('2612.00002', '2026-11-30', 'Newest submission')], at('2026-12-01T01:00:00Z'));
    await store.addPapers([arxiv('2612.00100', '2026-12-01', 'After the slot')], at('2026-12-01T09:30:00Z'));
    const day = '2026-12-01';
    await store.saveDay(day, listingsFor(day, [makePaper({ id: '2611.40001', title: 'HF hit', upvotes: 50 }), makePaper({ id: '2611.30050', title: 'Also on HF', upvotes: 20 }), makePaper({ id: '2611.40003', title: 'HF third', upvotes: 5 })]), at('2026-12-01T06:00:00Z'));
  }

  /** As a subscription alert would have: the channel already received `paperId`. */
  async function receive(store: Store, channel: ChannelRef, paperId: string): Promise<void> {
    const key = 'alert:2026-11-30T21';
    await store.acquireDelivery(channel, key, 'test', at('2026-11-30T21:00:00Z'), at('2026-11-30T21:01:00Z'));
    await store.recordIntents(channel, key, [paperId], at('2026-11-30T21:00:00Z'));
    await store.recordPosted(channel, key, paperId, 'M1', at('2026-11-30T21:00:01Z'));
    await store.completeDelivery(channel, key, at('2026-11-30T21:00:02Z'));
  }

  const postedIn = (publisher: ThreadPublisher, channel: ChannelRef) => {
    const parents = publisher.parents.filter((parent) => parent.channel === `slack:${channel.id}`);
    return parents.map((parent) => ({ title: parent.title, key: parent.key, papers: publisher.items.filter((item) => item.parent === parent.id).map((item) => item.paperId) }));
  };

  it('stores the source per channel; hf when never set', async () => {
    const store = open();
    await store.saveChannelSettings({ ...base, channel: slack('C0STORED01'), source: 'both' });
    await store.saveChannelSettings({ ...base, channel: slack('C0STORED02') });
    expect(await store.getChannelSettings(slack('C0STORED01'))).toMatchObject({ source: 'both', size: 2 });
    expect(await store.getChannelSettings(slack('C0STORED02'))).toMatchObject({ source: 'hf' });
    await store.saveChannelSettings({ ...base, channel: slack('C0STORED01'), source: 'arxiv' });
    expect((await store.listChannelSettings()).map((settings) => settings.source)).toEqual(['arxiv', 'hf']);
  });

  it('arxiv: papers stored since the last slot that HF has not listed, newest submission first, minus received, top N', async () => {
    const store = open();
    await seed(store);
    const publisher = new ThreadPublisher('slack');
    const channel = slack('C0ARXIV001');
    await receive(store, channel, '2611.30060');
    const settings: ChannelSettings = { ...base, channel, size: 2, source: 'arxiv' };

    expect(await runDailyDigests(deps(store, publisher), [settings], NOW)).toMatchObject([{ outcome: { status: 'delivered', posted: 2 } }]);
    expect(postedIn(publisher, channel)).toEqual([{ title: 'New on arXiv · cs.CL, cs.LG · Tue 1 Dec', key: 'daily:2026-12-01', papers: ['2612.00002', '2611.30001'] }]);

    // A rerun (a sweep, a restart) posts nothing, and the late-additions check adds nothing to an arXiv digest.
    expect(await runDailyDigests(deps(store, publisher.restarted()), [settings], NOW)).toMatchObject([{ outcome: { status: 'empty' } }]);
    await runLateAdditions(deps(store, publisher), [settings], new Date('2026-12-01T16:00:00Z'), 6);
    expect(publisher.posts).toBe(3);
  });

  it('arxiv: the size is the cap; the window is the day before the slot', async () => {
    const store = open();
    await seed(store);
    const publisher = new ThreadPublisher('slack');
    const channel = slack('C0ARXIV002');
    await runDailyDigests(deps(store, publisher), [{ ...base, channel, size: 25, source: 'arxiv' }], NOW);
    expect(postedIn(publisher, channel)[0]?.papers).toEqual(['2612.00002', '2611.30060', '2611.30001', '2611.29999']);
  });

  it('both: HF trending first, then the arXiv papers, ranks running on, one digest', async () => {
    const store = open();
    await seed(store);
    const publisher = new ThreadPublisher('slack');
    const channel = slack('C0BOTH0001');
    await receive(store, channel, '2611.30060');
    const settings: ChannelSettings = { ...base, channel, size: 2, source: 'both' };
    await runDailyDigests(deps(store, publisher), [settings], NOW);
    expect(postedIn(publisher, channel)).toEqual([
      { title: 'Trending papers + new on arXiv · cs.CL, cs.LG · Tue 1 Dec', key: 'daily:2026-12-01', papers: ['2611.40001', '2611.30050', '2612.00002', '2611.30001'] },
    ]);
    const parent = publisher.parents.find((p) => p.channel === 'slack:C0BOTH0001')!;
    expect(parent).toBeDefined();
    expect(await runDailyDigests(deps(store, publisher), [settings], NOW)).toMatchObject([{ outcome: { status: 'empty' } }]);
    expect(publisher.posts).toBe(5);
  });

  it('hf stays as it was; without ARXIV_CATEGORIES a channel set to arxiv gets the HF digest', async () => {
    const store = open();
    await seed(store);
    const publisher = new ThreadPublisher('slack');
    await runDailyDigests(deps(store, publisher), [{ ...base, channel: slack('C0HFONLY01'), source: 'hf' }], NOW);
    await runDailyDigests(deps(store, publisher, []), [{ ...base, channel: slack('C0NOARXIV1'), source: 'arxiv' }], NOW);
    for (const id of ['C0HFONLY01', 'C0NOARXIV1']) {
      expect(postedIn(publisher, slack(id))).toEqual([{ title: 'Trending papers · Tue 1 Dec', key: 'daily:2026-12-01', papers: ['2611.40001', '2611.30050'] }]);
    }
  });

  it('a channel switching source after its digest gets no second one that day, either way', async () => {
    const store = open();
    // HF's newest day is Monday's: an HF digest is keyed daily:2026-11-30, one with arXiv papers daily:2026-12-01.
    await store.saveDay('2026-11-30', listingsFor('2026-11-30', [makePaper({ id: '2611.40009', upvotes: 9 })]), at('2026-11-30T06:00:00Z'));
    await store.addPapers([arxiv('2611.30001', '2026-11-30')], at('2026-11-30T20:00:00Z'));
    const publisher = new ThreadPublisher('slack');
    const first = slack('C0SWITCH01');
    await runDailyDigests(deps(store, publisher), [{ ...base, channel: first, source: 'arxiv' }], NOW);
    expect(await runDailyDigests(deps(store, publisher), [{ ...base, channel: first, source: 'hf' }], NOW)).toMatchObject([{ outcome: { status: 'empty' } }]);
    const second = slack('C0SWITCH02');
    await runDailyDigests(deps(store, publisher), [{ ...base, channel: second, source: 'hf' }], NOW);
    expect(await runDailyDigests(deps(store, publisher), [{ ...base, channel: second, source: 'both' }], NOW)).toMatchObject([{ outcome: { status: 'empty' } }]);
    expect(postedIn(publisher, first).map((digest) => digest.key)).toEqual(['daily:2026-12-01']);
    expect(postedIn(publisher, second).map((digest) => digest.key)).toEqual(['daily:2026-11-30']);
    // The next day is a new day for both.
    const wednesday = new Date('2026-12-02T10:00:00Z');
    await store.addPapers([arxiv('2612.00500', '2026-12-01')], at('2026-12-01T20:00:00Z'));
    await runDailyDigests({ ...deps(store, publisher), clock: () => wednesday }, [{ ...base, channel: second, source: 'both' }], wednesday);
    expect(postedIn(publisher, second).map((digest) => digest.papers)).toEqual([['2611.40009'], ['2612.00500']]);
  });
});
