import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import type { Paper } from '../src/papers/paper.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import type { ScheduleDeps } from '../src/schedule/schedule-deps.js';
import type { Store } from '../src/store/store.js';
import type { Summariser } from '../src/summarise/summariser.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from './fixtures/discord/harness.js';
import { startHarness as startSlack, type Harness as SlackHarness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

/** Tuesday 1 December 2026, 09:00 UTC: the slot of a channel at the default time and zone. */
const TUESDAY_NINE = new Date('2026-12-01T09:00:00Z');
const DAY = '2026-12-01';
const ARXIV_ENV = { ARXIV_CATEGORIES: 'cs.CL,cs.LG', DIGEST_TIME: '09:00', DIGEST_TIMEZONE: 'UTC' };
const MANAGE_CHANNELS = 1n << 4n;
const textOf = (body: unknown) => JSON.stringify(body);
const pad = (n: number) => String(n).padStart(4, '0');

/** HF's 25 trending papers (long titles, to fill the parent) and 25 arXiv-only ones stored overnight, plus one HF lists too. */
const hfPapers = Array.from({ length: 25 }, (_, i) => makePaper({ id: `2611.4${pad(i)}`, title: `Trending paper ${i + 1}: ${'a long and winding title about language models '.repeat(2)}`, upvotes: 100 - i }));
const arxivPapers = Array.from({ length: 26 }, (_, i) => makePaper({ id: `2611.3${pad(i)}`, title: `arXiv paper ${i + 1} <!channel> & friends`, publishedAt: '2026-11-30', upvotes: 0 }));

async function seed(seedDay: (day: string, papers: Paper[]) => Promise<void>, store: Store): Promise<void> {
  await store.addPapers([...arxivPapers, hfPapers[3]!], new Date('2026-11-30T21:00:00Z'));
  await seedDay(DAY, hfPapers);
}

/** Newest submission first: the highest id. */
const expectedOrder = [...hfPapers.map((paper) => paper.id), ...arxivPapers.map((paper) => paper.id).sort().reverse().slice(0, 25)];

function deps(store: Store, summariser: Summariser, platform: string, publisher: ChannelPublisher): ScheduleDeps {
  return { store, summariser, publishers: new Map([[platform, publisher]]), clock: () => TUESDAY_NINE, logger: silentLogger, arxivCategories: ['cs.CL', 'cs.LG'] };
}

describe('a digest with arXiv papers on Slack', () => {
  let h: SlackHarness;
  afterEach(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    await h.close();
  });

  it('is refused without ARXIV_CATEGORIES, and nothing is saved', async () => {
    h = await startSlack();
    const channel = 'C0NOARXIV1';
    const refused = await h.slack.command(h.endpoint, { text: 'settings size 3 source arxiv', channel });
    expect(refused.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(refused.body)).toContain('ARXIV_CATEGORIES');
    expect(await h.store.getChannelSettings({ platform: 'slack', id: channel })).toBeNull();
  });

  it('/papers digest posts the arXiv digest now, under the same day the schedule uses, so it then posts nothing', async () => {
    h = await startSlack({ env: ARXIV_ENV, slack: { postIntervalMs: 10 }, clock: () => TUESDAY_NINE });
    await seed(h.seedDay, h.store);
    const channel = 'C0ARXIVCMD';
    // Signed at the harness's frozen time, or the bot would refuse the requests as too old.
    const signedAtNine = { timestamp: Math.floor(TUESDAY_NINE.getTime() / 1000) };
    await h.slack.command(h.endpoint, { text: 'settings size 3 source arxiv', channel }, signedAtNine);
    await h.slack.command(h.endpoint, { text: 'digest', channel }, signedAtNine);
    await h.adapter.idle();
    const [parent, ...stray] = h.slack.topLevel(channel).filter((message) => textOf(message.body).includes('New on arXiv'));
    expect(stray).toEqual([]);
    const header = (parent!.body.blocks as { type: string; text?: { text: string } }[]).find((block) => block.type === 'header');
    expect(header?.text?.text).toBe('New on arXiv · cs.CL, cs.LG · Tue 1 Dec');
    const replies = h.slack.replies(channel, parent!.ts);
    expect(replies.map((reply) => (reply.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual(expectedOrder.slice(25, 28));

    const before = h.slack.topLevel(channel).length;
    const settings = (await h.store.listChannelSettings()).filter((s) => s.channel.id === channel);
    await runDailyDigests(deps(h.store, h.summariser, 'slack', h.adapter.publisher), settings, TUESDAY_NINE);
    expect(h.slack.topLevel(channel)).toHaveLength(before);
    const again = await h.slack.command(h.endpoint, { text: 'digest', channel }, signedAtNine);
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(again.hook))).toContain('The digest for Tue 1 Dec was already posted here.');
  });

  it('settings source both: HF top 25 then 25 new arXiv papers in one threaded digest, within limits; a rerun posts nothing', async () => {
    h = await startSlack({ env: ARXIV_ENV, slack: { postIntervalMs: 10 } });
    await seed(h.seedDay, h.store);
    const channel = 'C0BOTHSRC1';

    const bad = await h.slack.command(h.endpoint, { text: 'settings source rss', channel });
    expect(textOf(bad.body)).toContain('is not a source: use source hf, arxiv or both.');
    const saved = await h.slack.command(h.endpoint, { text: 'settings size 25 source both', channel });
    expect(saved.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(saved.body)).toContain('the daily digest from Hugging Face, then new papers on arXiv');
    const shown = await h.slack.command(h.endpoint, { text: 'settings', channel });
    expect(textOf(shown.body)).toContain('the daily digest from Hugging Face, then new papers on arXiv');
    const settings = (await h.store.listChannelSettings()).filter((s) => s.channel.id === channel);
    expect(settings).toMatchObject([{ size: 25, source: 'both' }]);

    const results = await runDailyDigests(deps(h.store, h.summariser, 'slack', h.adapter.publisher), settings, TUESDAY_NINE);
    expect(results).toMatchObject([{ outcome: { status: 'delivered', posted: 50 } }]);
    const [parent, ...stray] = h.slack.topLevel(channel);
    expect(stray).toEqual([]);
    const header = (parent!.body.blocks as { type: string; text?: { text: string } }[]).find((block) => block.type === 'header');
    expect(header?.text?.text).toBe('Trending papers + new on arXiv · cs.CL, cs.LG · Tue 1 Dec');
    expect(textOf(parent!.body)).toContain('Hugging Face Daily Papers and arXiv');
    expect(textOf(parent!.body)).not.toContain('<!channel>');
    const replies = h.slack.replies(channel, parent!.ts);
    expect(replies.map((reply) => (reply.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual(expectedOrder);
    expect(textOf(replies[49]!.body)).toContain('50.');

    expect(await runDailyDigests(deps(h.store, h.summariser, 'slack', h.adapter.publisher), settings, TUESDAY_NINE)).toMatchObject([{ outcome: { status: 'empty' } }]);
    expect(h.slack.topLevel(channel)).toHaveLength(1);
    expect(h.slack.replies(channel, parent!.ts)).toHaveLength(50);
  });
});

describe('a digest with arXiv papers on Discord', () => {
  let h: DiscordHarness;
  afterEach(async () => {
    expect(h.discord.unknownRoutes).toEqual([]);
    expect(h.discord.rejected).toEqual([]);
    await h.close();
  });

  it('is refused without ARXIV_CATEGORIES, and nothing is saved', async () => {
    h = await startDiscord();
    const channel = h.discord.addChannel();
    const refused = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'settings source both', { permissions: MANAGE_CHANNELS }));
    expect(String(refused.body?.data?.content)).toMatch(/doesn't read arXiv \(its ARXIV\\_CATEGORIES setting is empty\)/);
    expect(refused.body?.data?.flags).toBe(64);
    expect(await h.store.getChannelSettings({ platform: 'discord', id: channel })).toBeNull();
  });

  it('settings source both: a parent, a thread and 50 papers in order; a rerun posts nothing', async () => {
    h = await startDiscord({ env: ARXIV_ENV, discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 60, windowMs: 1000 } } } });
    await seed(h.seedDay, h.store);
    const channel = h.discord.addChannel();
    const saved = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'settings size 25 source both', { permissions: MANAGE_CHANNELS }));
    expect(String(saved.body?.data?.content)).toContain('the daily digest from Hugging Face, then new papers on arXiv');
    const settings = (await h.store.listChannelSettings()).filter((s) => s.channel.id === channel);

    const results = await runDailyDigests(deps(h.store, h.summariser, 'discord', h.adapter.publisher), settings, TUESDAY_NINE);
    expect(results).toMatchObject([{ outcome: { status: 'delivered', posted: 50 } }]);
    const [parent, ...rest] = h.discord.messagesIn(channel);
    expect(rest).toEqual([]);
    expect(String(parent!.body.content)).toContain('from Hugging Face Daily Papers and arXiv');
    const thread = h.discord.channels.get(parent!.threadId!)!;
    expect(thread.name).toBe('Trending papers + new on arXiv · cs.CL, cs.LG · Tue 1 Dec');
    const titles = h.discord.messagesIn(thread.id).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
    expect(titles).toHaveLength(50);
    expect(titles[0]).toMatch(/^1\. Trending paper 1:/);
    // Escaped: no title pings anyone.
    expect(titles[25]).toMatch(/^26\. arXiv paper 26 <\u200b!channel\\> & friends$/);
    expect(titles[49]).toMatch(/^50\. arXiv paper 2 </);

    expect(await runDailyDigests(deps(h.store, h.summariser, 'discord', h.adapter.publisher), settings, TUESDAY_NINE)).toMatchObject([{ outcome: { status: 'empty' } }]);
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
    expect(h.discord.messagesIn(thread.id)).toHaveLength(50);
  });
});
