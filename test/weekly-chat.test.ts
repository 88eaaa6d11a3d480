import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import type { Paper } from '../src/papers/paper.js';
import type { ScheduleDeps } from '../src/schedule/schedule-deps.js';
import { runWeeklyDigests } from '../src/schedule/weekly-digests.js';
import type { Store } from '../src/store/store.js';
import type { Summariser } from '../src/summarise/summariser.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from './fixtures/discord/harness.js';
import { startHarness as startSlack, type Harness as SlackHarness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

/** Monday 30 November 2026, 09:00 UTC: the weekly slot of `weekly mon 09:00` in a UTC channel. */
const MONDAY_NINE = new Date('2026-11-30T09:00:00Z');
const week: [string, Paper[]][] = [
  ['2026-11-24', [makePaper({ id: '2611.00101', title: 'Tuesday paper', upvotes: 12 }), makePaper({ id: '2611.00102', title: 'Quiet paper', upvotes: 2 })]],
  ['2026-11-26', [makePaper({ id: '2611.00103', title: 'Thursday hit', upvotes: 70 })]],
  ['2026-11-28', [makePaper({ id: '2611.00101', title: 'Tuesday paper', upvotes: 31 })]],
];
const MANAGE_CHANNELS = 1n << 4n;
const textOf = (body: unknown) => JSON.stringify(body);

async function seedWeek(seedDay: (day: string, papers: Paper[]) => Promise<void>) {
  for (const [day, papers] of week) await seedDay(day, papers);
}

function deps(store: Store, summariser: Summariser, platform: string, publisher: ChannelPublisher): ScheduleDeps {
  return { store, summariser, publishers: new Map([[platform, publisher]]), clock: () => MONDAY_NINE, logger: silentLogger };
}

describe('weekly digest on Slack', () => {
  let h: SlackHarness;
  afterEach(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    await h.close();
  });

  it('is set by /papers settings weekly, refused whole when wrong, and posted threaded with the week in its header', async () => {
    h = await startSlack();
    await seedWeek(h.seedDay);
    const channel = 'C0WEEKLY01';

    const bad = await h.slack.command(h.endpoint, { text: 'settings size 2 weekly someday 09:00', channel });
    expect(bad.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(bad.body)).toContain('is not a day like mon or Monday');
    const badTime = await h.slack.command(h.endpoint, { text: 'settings weekly mon 9pm', channel });
    expect(textOf(badTime.body)).toContain('is not a time like 09:00');
    expect(await h.store.getChannelSettings({ platform: 'slack', id: channel })).toBeNull();

    const saved = await h.slack.command(h.endpoint, { text: 'settings size 2 weekly monday 09:00', channel });
    expect(saved.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(saved.body)).toContain('weekly top papers on Mondays at 09:00');
    const settings = (await h.store.listChannelSettings()).filter((s) => s.channel.id === channel);
    expect(settings).toMatchObject([{ size: 2, weekly: { day: 'mon', time: '09:00' } }]);

    const results = await runWeeklyDigests(deps(h.store, h.summariser, 'slack', h.adapter.publisher), settings, MONDAY_NINE);
    expect(results).toMatchObject([{ outcome: { status: 'delivered', posted: 2 } }]);
    const [parent, ...stray] = h.slack.topLevel(channel);
    expect(stray).toEqual([]);
    const header = (parent!.body.blocks as { type: string; text?: { text: string } }[]).find((block) => block.type === 'header');
    expect(header?.text?.text).toBe('Top papers of the week · Mon 23 Nov – Sun 29 Nov');
    expect(textOf(parent!.body)).toContain("The week's top 2 by upvotes");
    const replies = h.slack.replies(channel, parent!.ts);
    expect(replies.map((reply) => (reply.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual(['2611.00103', '2611.00101']);

    // Turning it off keeps the daily digest.
    const off = await h.slack.command(h.endpoint, { text: 'settings weekly off', channel });
    expect(textOf(off.body)).not.toContain('weekly');
    expect(await h.store.getChannelSettings({ platform: 'slack', id: channel })).toMatchObject({ weekly: null, size: 2, paused: false });
  });
});

describe('weekly digest on Discord', () => {
  let h: DiscordHarness;
  afterEach(async () => {
    expect(h.discord.unknownRoutes).toEqual([]);
    expect(h.discord.rejected).toEqual([]);
    await h.close();
  });

  it('is set by /papers query:settings weekly …, and posted as a parent, a thread and one message per paper', async () => {
    h = await startDiscord({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
    await seedWeek(h.seedDay);
    const channel = h.discord.addChannel();
    const send = (text: string) => h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, text, { permissions: MANAGE_CHANNELS }));

    const bad = await send('settings weekly mon 25:61');
    expect(String(bad.body?.data?.content)).toContain('is not a time like 09:00');
    expect(await h.store.getChannelSettings({ platform: 'discord', id: channel })).toBeNull();

    const saved = await send('settings weekly Mon 09:00');
    expect(String(saved.body?.data?.content)).toContain('weekly top papers on Mondays at 09:00');
    const settings = (await h.store.listChannelSettings()).filter((s) => s.channel.id === channel);

    const results = await runWeeklyDigests(deps(h.store, h.summariser, 'discord', h.adapter.publisher), settings, MONDAY_NINE);
    expect(results).toMatchObject([{ outcome: { status: 'delivered', posted: 3 } }]);
    const [parent, ...rest] = h.discord.messagesIn(channel);
    expect(rest).toEqual([]);
    const embed = (parent!.body.embeds as { title: string; url: string; footer: { text: string } }[])[0]!;
    expect(embed.title).toBe('Top papers of the week · Mon 23 Nov – Sun 29 Nov');
    expect(embed.url).toMatch(/^https:\/\/huggingface\.co\/papers\/week\/2026-W48#paperboy-weekly:2026-W48$/);
    expect(embed.footer.text).toContain("The week's top papers by upvotes");
    const thread = h.discord.channels.get(parent!.threadId!)!;
    expect(thread.name).toBe('Top papers of the week · Mon 23 Nov – Sun 29 Nov');
    const items = h.discord.messagesIn(thread.id).map((m) => (m.body.embeds as { title: string }[])[0]!.title);
    expect(items).toEqual(['1. Thursday hit', '2. Tuesday paper', '3. Quiet paper']);

    // A second run (another replica, a restart) posts nothing.
    expect(await runWeeklyDigests(deps(h.store, h.summariser, 'discord', h.adapter.publisher), settings, MONDAY_NINE)).toMatchObject([{ outcome: { status: 'empty' } }]);
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
  });
});
