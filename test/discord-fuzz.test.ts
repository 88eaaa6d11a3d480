import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { MANAGE_CHANNELS } from './fakes/discord-api.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { harmfulIn, HOSTILE_TEXT, hostilePapers, stringsIn } from './fixtures/discord/hostile.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

const DAY = '2026-05-18';
let h: Harness;
let channel: string;

beforeAll(async () => {
  // Hundreds of hostile commands from one user: the per-person limit would answer most of them instead.
  h = await startHarness({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 100, windowMs: 1000 } } }, env: { COMMANDS_PER_MINUTE: '0' } });
  await h.seedDay(DAY, hostilePapers());
  channel = h.discord.addChannel();
});

afterAll(async () => {
  await h.close();
});

describe('hostile paper fields and queries', () => {
  it('yields only messages Discord accepts, none of which can ping or hide a link', async () => {
    const ref: ChannelRef = { platform: 'discord', id: channel };
    const digest = (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: ref, workspace: LOCAL_WORKSPACE, size: 25, timeZone: 'UTC', day: DAY }))!;
    digest.title = `${HOSTILE_TEXT[0]} ${'x'.repeat(300)}`;
    for (const [i, item] of digest.items.entries()) item.matchedSubscription = HOSTILE_TEXT[i % HOSTILE_TEXT.length];
    const outcome = await deliverDigest({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, ref, digest);
    expect(outcome).toMatchObject({ status: 'delivered', posted: 10 });
    if (outcome.status !== 'delivered') return;
    await h.adapter.publisher.updateParent(ref, outcome.parent, digest);
    await h.adapter.publisher.postGroup(ref, outcome.parent, HOSTILE_TEXT.join(' '), digest.items, digest);
    await h.adapter.publisher.postNotice(ref, HOSTILE_TEXT.join('\n'));

    const admin = { permissions: MANAGE_CHANNELS };
    const send = (text: string) => h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, text, admin));
    for (const text of HOSTILE_TEXT) await send(text);
    await send(`subscribe ${HOSTILE_TEXT[1]}`);
    await send('subscriptions');
    await send('everyone');
    await send(`search ${'a'.repeat(1990)}`);
    await send('x'.repeat(5000));
    for (const paper of hostilePapers()) {
      await send(`summary ${paper.id}`);
      await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(outcome.parent.threadId!, `abs:${paper.id}`, { id: outcome.parent.id }));
      await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(outcome.parent.threadId!, `sum:${paper.id}`, { id: outcome.parent.id }));
    }
    await h.adapter.idle();

    expect(h.discord.rejected).toEqual([]);
    expect(h.discord.unknownRoutes).toEqual([]);
    const bodies = [
      ...h.discord.messages.flatMap((m) => [m.body, ...m.edits]),
      ...[...h.discord.interactions.values()].map((i) => i.response?.data ?? {}),
    ];
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies) {
      if (Object.keys(body).length === 0) continue;
      expect(body.allowed_mentions).toEqual({ parse: [] });
      for (const text of stringsIn({ ...body, allowed_mentions: undefined })) expect(harmfulIn(text), text.slice(0, 200)).toBeNull();
    }
    // The thread: ten papers, the group message, then one summary per paper.
    expect(h.discord.messagesIn(outcome.parent.threadId!)).toHaveLength(21);
  }, 30_000);
});
