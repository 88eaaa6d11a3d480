import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { silentLogger } from '../src/logger.js';
import { runSubscriptionAlerts } from '../src/schedule/alerts.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { DAY, diffusion, EARLIER_DAY, EARLIER_POST_AT as mayEleventh, grokking, sparse, textOf, tokens, wild } from './fixtures/discussed/papers.js';

const slack = (id: string): ChannelRef => ({ platform: 'slack', id });
/** What a Slack permalink to a message looks like (the fake answers chat.getPermalink in Slack's shape). */
const permalinkTo = (channel: string, ts: string) => `https://fake.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.seedDay(EARLIER_DAY, [grokking, sparse]);
  // Grokking is listed again a week later, between two papers nobody has seen.
  await h.seedDay(DAY, [diffusion, grokking, tokens, wild]);
});
afterAll(async () => {
  expect(h.slack.rejected).toEqual([]);
  expect(h.slack.unknownMethods).toEqual([]);
  await h.close();
});

/** The earlier day's digest posted in `channel` at `at`: the channel "already got" its papers then. */
async function postedEarlier(channel: ChannelRef, at: Date): Promise<{ parentTs: string; grokkingTs: string }> {
  const clock = () => at;
  const digest = await buildDailyDigest({ store: h.store, summariser: h.summariser, clock }, { channel, workspace: LOCAL_WORKSPACE, size: 10, timeZone: 'UTC', day: EARLIER_DAY });
  const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock }, channel, digest!);
  if (outcome.status !== 'delivered') throw new Error(outcome.status);
  return { parentTs: outcome.parent.id, grokkingTs: (await h.store.getDelivery(channel, `daily:${EARLIER_DAY}`))!.papers.get(grokking.id)! };
}

const today = async (channel: ChannelRef) =>
  (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel, workspace: LOCAL_WORKSPACE, size: 3, timeZone: 'UTC', day: DAY }))!;

describe('already discussed here, on Slack', () => {
  it('marks a search result this channel already got with the day and a permalink to its thread; elsewhere nothing', async () => {
    const channel = slack('C0SEARCH01');
    const { grokkingTs } = await postedEarlier(channel, mayEleventh);

    const here = await h.slack.command(h.endpoint, { text: 'grokking', channel: channel.id });
    expect(textOf(here.body)).toContain('Discussed here Mon 11 May');
    expect(textOf(here.body)).toContain(permalinkTo(channel.id, grokkingTs));
    // Only the paper it got: "Grokking in the wild" is new here.
    expect(textOf(here.body).match(/Discussed here/g)).toHaveLength(1);

    // Permalinks never change: asking again costs Slack no second chat.getPermalink (the search answer stays quick).
    const permalinks = () => h.slack.calls.filter((call) => call.method === 'chat.getPermalink').length;
    const asked = permalinks();
    const again = await h.slack.command(h.endpoint, { text: 'grokking', channel: channel.id });
    expect(textOf(again.body)).toContain(permalinkTo(channel.id, grokkingTs));
    expect(permalinks()).toBe(asked);

    const elsewhere = await h.slack.command(h.endpoint, { text: 'grokking', channel: 'C0SEARCH02' });
    expect(textOf(elsewhere.body)).toContain('Grokking at scale');
    expect(textOf(elsewhere.body)).not.toContain('Discussed here');
  });

  it("lists a paper of today's digest the channel already got in the parent, linked to its first post, and posts only the new ones", async () => {
    const channel = slack('C0DIGEST01');
    const { grokkingTs } = await postedEarlier(channel, mayEleventh);
    const digest = await today(channel);
    expect(digest.items.map((item) => item.paper.id)).toEqual([diffusion.id, tokens.id, wild.id]);
    expect(digest.discussed?.map((entry) => entry.paper.id)).toEqual([grokking.id]);

    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channel, digest);
    if (outcome.status !== 'delivered') throw new Error(outcome.status);
    expect(outcome.posted).toBe(3);
    const parent = h.slack.topLevel(channel.id).at(-1)!;
    expect(textOf(parent.body.blocks)).toContain('Already discussed here');
    expect(textOf(parent.body.blocks)).toContain(`${permalinkTo(channel.id, grokkingTs)}?thread_ts=`);
    expect(textOf(parent.body.blocks)).toContain('Discussed here Mon 11 May');
    const replies = h.slack.replies(channel.id, parent.ts);
    expect(replies.map((r) => (r.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual([diffusion.id, tokens.id, wild.id]);

    // The ledger has it under the parent, so a rerun posts nothing and a rebuild (late additions) lists it again.
    const record = await h.store.getDelivery(channel, `daily:${DAY}`);
    expect(record?.papers.get(grokking.id)).toBe(parent.ts);
    const before = h.slack.messages.length;
    expect((await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channel, await today(channel))).status).toBe('already_delivered');
    expect(h.slack.messages.length).toBe(before);
    const rebuilt = await today(channel);
    expect([rebuilt.items.map((item) => item.paper.id), rebuilt.discussed?.map((entry) => entry.paper.id)]).toEqual([[diffusion.id, tokens.id, wild.id], [grokking.id]]);
    // The earlier post is still the first one, not today's pointer.
    expect((await h.store.earlierPosts(channel, [grokking.id])).get(grokking.id)?.message.id).toBe(grokkingTs);
  });

  it('still posts the digest when Slack gives no permalink, naming the day without a link', async () => {
    const channel = slack('C0NOLINK01');
    await postedEarlier(channel, mayEleventh);
    h.slack.failNext('chat.getPermalink', { error: 'message_not_found' });
    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channel, await today(channel));
    expect(outcome.status).toBe('delivered');
    const parent = h.slack.topLevel(channel.id).at(-1)!;
    expect(textOf(parent.body.blocks)).toContain('Discussed here Mon 11 May');
    expect(textOf(parent.body.blocks)).not.toContain('/archives/');
    expect(h.slack.replies(channel.id, parent.ts)).toHaveLength(3);
  });

  it('alerts never repost a paper: an old one gets one pointer line, a recent one nothing', async () => {
    const both = slack('C0ALERTS01');
    const onlyOld = slack('C0ALERTS02');
    const onlyRecent = slack('C0ALERTS03');
    const { grokkingTs } = await postedEarlier(both, mayEleventh);
    await postedEarlier(onlyOld, mayEleventh);
    await postedEarlier(onlyRecent, new Date(Date.now() - 3_600_000));
    await h.store.addSubscription(both, 'grokking', 'U0ADMIN01', new Date());
    await h.store.addSubscription(onlyOld, 'sparse', 'U0ADMIN01', new Date());
    await h.store.addSubscription(onlyRecent, 'sparse', 'U0ADMIN01', new Date());
    const counts = () => [both, onlyOld, onlyRecent].map((channel) => h.slack.messages.filter((m) => m.channel === channel.id).length);
    const before = counts();

    await h.store.setState('alerts.watermark', '2026-01-01T00:00:00.000Z');
    const deps = { store: h.store, summariser: h.summariser, publishers: new Map([['slack', h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger };
    const now = new Date();
    expect(await runSubscriptionAlerts(deps, now)).toBe(2);

    // New and old matches: the new one is posted, the old one is a line in the parent.
    const parent = h.slack.topLevel(both.id).at(-1)!;
    expect(textOf(parent.body.blocks)).toContain('1 new paper for your subscriptions');
    expect(textOf(parent.body.blocks)).toContain(permalinkTo(both.id, grokkingTs));
    expect(h.slack.replies(both.id, parent.ts).map((r) => (r.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual([wild.id]);
    // Only an old match: one line, no thread.
    const pointer = h.slack.topLevel(onlyOld.id).at(-1)!;
    expect(pointer.body.blocks).toHaveLength(1);
    expect(textOf(pointer.body.blocks)).toMatch(/Already discussed here: .*Sparse attention kernels.*Discussed here Mon 11 May/);
    expect(h.slack.replies(onlyOld.id, pointer.ts)).toEqual([]);
    expect(counts()).toEqual([before[0]! + 2, before[1]! + 1, before[2]]);

    // The same run again (a restart before the watermark was read): exactly once.
    await h.store.setState('alerts.watermark', '2026-01-01T00:00:00.000Z');
    await runSubscriptionAlerts(deps, now);
    expect(counts()).toEqual([before[0]! + 2, before[1]! + 1, before[2]]);
  });
});
