import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { checkMessage } from './fixtures/slack/block-kit.js';
import { buttonIn } from './fixtures/slack/buttons.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { harmfulIn, harmsIn, HOSTILE_TEXT, hostilePapers, randomHostilePapers } from './fixtures/slack/hostile.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

const DAY = '2026-05-18';
const CHANNEL = 'C0HOSTILE';
let h: Harness;

beforeAll(async () => {
  // Hundreds of hostile commands from one user: the per-person limit would answer most of them instead.
  h = await startHarness({ slack: { postIntervalMs: 1 }, env: { COMMANDS_PER_MINUTE: '0' } });
  await h.seedDay(DAY, [...hostilePapers(), ...randomHostilePapers(15)]);
});

afterAll(async () => {
  await h.close();
});

describe('hostile paper fields and queries', () => {
  it('the mention check is not vacuous: raw hostile text fails it', () => {
    for (const text of HOSTILE_TEXT.slice(0, 5)) expect(harmfulIn(text), text).not.toBeNull();
  });

  it('yield only messages Slack accepts, none of which can ping or hide a link', async () => {
    const ref: ChannelRef = { platform: 'slack', id: CHANNEL };
    const digest = (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: ref, workspace: LOCAL_WORKSPACE, size: 25, timeZone: 'UTC', day: DAY }))!;
    digest.title = `${HOSTILE_TEXT[0]} ${'x'.repeat(300)}`;
    for (const [i, item] of digest.items.entries()) item.matchedSubscription = HOSTILE_TEXT[i % HOSTILE_TEXT.length];
    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, ref, digest);
    expect(outcome).toMatchObject({ status: 'delivered', posted: 25 });
    if (outcome.status !== 'delivered') return;
    await h.adapter.publisher.updateParent(ref, outcome.parent, digest);
    await h.adapter.publisher.postGroup(ref, outcome.parent, HOSTILE_TEXT.join(' '), digest.items, digest);
    await h.adapter.publisher.postNotice(ref, HOSTILE_TEXT.join('\n'));

    const send = (text: string) => h.slack.command(h.endpoint, { text, channel: CHANNEL });
    for (const text of HOSTILE_TEXT) await send(text);
    await send(`subscribe ${HOSTILE_TEXT[1]}`);
    await send(`subscribe ${HOSTILE_TEXT[0]}`);
    await send('subscriptions');
    await send(`unsubscribe ${HOSTILE_TEXT[2]}`);
    await send(`search ${'a'.repeat(1990)}`);
    await send('x'.repeat(5000));
    await send(`settings tz ${HOSTILE_TEXT[0]}`);
    for (const item of h.slack.replies(CHANNEL, outcome.parent.id).slice(0, 25)) {
      await send(`summary ${(item.body.metadata as { event_payload: { paper: string } }).event_payload.paper}`);
      for (const actionId of ['paperboy.abstract', 'paperboy.summarise']) {
        await h.slack.action(h.endpoint, { actionId, value: buttonIn(item.body, actionId).value, channel: CHANNEL, message: { ts: item.ts, threadTs: outcome.parent.id } });
      }
    }
    await h.adapter.idle();

    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    const bodies = [
      ...h.slack.messages.flatMap((m) => [m.body, ...m.edits]),
      ...h.slack.ephemerals.map((e) => e.body),
      ...h.slack.hookPosts.map((p) => p.body),
      ...h.slack.acks.flatMap((a) => (a.body ? [a.body] : [])),
    ];
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) {
      expect(checkMessage(body)).toBeNull();
      expect(harmsIn(body)).toEqual([]);
    }
    // The thread: 25 papers, the group, then one summary per paper.
    expect(h.slack.replies(CHANNEL, outcome.parent.id)).toHaveLength(25 + 1 + 25);
  }, 60_000);
});
