import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from './fakes/slack-api.js';
import { buttonIn, buttonsIn } from './fixtures/slack/buttons.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const CHANNEL = 'C0BUTTONS';
const papers = [
  makePaper({ id: '2605.00001', title: 'Grokking at scale', abstract: `${'A long abstract sentence about grokking. '.repeat(250)}The end.`, aiSummary: 'HF says it groks.' }),
  ...Array.from({ length: 7 }, (_, i) => makePaper({ id: `2605.0001${i}`, title: `Grokking variant ${i}`, upvotes: 40 - i })),
];
const textOf = (body: unknown) => JSON.stringify(body);

describe('buttons', () => {
  let h: Harness;
  let parent: FakeMessage;
  let items: FakeMessage[];

  beforeAll(async () => {
    h = await startHarness();
    await h.seedDay(DAY, papers);
    await h.slack.command(h.endpoint, { text: 'digest', channel: CHANNEL });
    await h.adapter.idle();
    parent = h.slack.topLevel(CHANNEL)[0]!;
    items = h.slack.replies(CHANNEL, parent.ts);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    await h.close();
  });

  const press = (message: FakeMessage, actionId: string, user = 'U0ALICE01', extra: { deadResponseUrl?: boolean } = {}) =>
    h.slack.action(h.endpoint, { actionId, value: buttonIn(message.body, actionId).value, channel: CHANNEL, user, message: { ts: message.ts, threadTs: message.threadTs }, ...extra });

  it('Summarise posts the summary into the paper’s thread once; a second press links to it', async () => {
    const first = await press(items[0]!, 'paperboy.summarise');
    expect([first.status, first.body]).toEqual([200, null]);
    await h.adapter.idle();
    const summaries = () => h.slack.replies(CHANNEL, parent.ts).slice(items.length);
    expect(summaries()).toHaveLength(1);
    expect(textOf(summaries()[0]!.body)).toContain('HF says it groks.');

    const second = await press(items[0]!, 'paperboy.summarise', 'U0BOB0001');
    await h.adapter.idle();
    expect(summaries()).toHaveLength(1);
    const [notice] = h.slack.hookPostsFor(second.hook);
    expect(notice).toMatchObject({ response_type: 'ephemeral', thread_ts: parent.ts });
    expect(textOf(notice)).toContain(`This paper's summary is already in this thread. <https://fake.slack.com/archives/${CHANNEL}/p${summaries()[0]!.ts.replace('.', '')}`);
  });

  it('Summarise pressed by many at once still posts once', async () => {
    const before = h.slack.replies(CHANNEL, parent.ts).length;
    await Promise.all(['U0A000001', 'U0A000002', 'U0A000003', 'U0A000004'].map((user) => press(items[1]!, 'paperboy.summarise', user)));
    await h.adapter.idle();
    expect(h.slack.replies(CHANNEL, parent.ts).length).toBe(before + 1);
  });

  it('Abstract shows the full abstract privately, split within the limits', async () => {
    const answer = await press(items[0]!, 'paperboy.abstract');
    await h.adapter.idle();
    const [shown] = h.slack.hookPostsFor(answer.hook);
    expect(shown).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const sections = (shown!.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(3);
    expect(textOf(shown)).toContain('The end.');
  });

  it('falls back to chat.postEphemeral in the thread when the response_url no longer works', async () => {
    await press(items[2]!, 'paperboy.abstract', 'U0CAROL01', { deadResponseUrl: true });
    await h.adapter.idle();
    expect(h.slack.ephemerals.at(-1)).toMatchObject({ channel: CHANNEL, user: 'U0CAROL01', threadTs: parent.ts });
  });

  it('More replaces the search results with the next page', async () => {
    const search = await h.slack.command(h.endpoint, { text: 'grokking', channel: CHANNEL });
    expect(textOf(search.body)).toContain('(1–5)');
    const more = buttonIn(search.body, 'paperboy.more');
    const next = await h.slack.action(h.endpoint, { actionId: more.action_id, value: more.value, channel: CHANNEL, message: null });
    await h.adapter.idle();
    const [page] = h.slack.hookPostsFor(next.hook);
    expect(page).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(textOf(page)).toContain('(6–8)');
    expect(buttonsIn(page).some((b) => b.action_id === 'paperboy.more')).toBe(false);
  });

  it('refuses tampered or unknown button values, and only acks link buttons', async () => {
    for (const [actionId, value] of [
      ['paperboy.summarise', '2605.00001<!channel>'],
      ['paperboy.abstract', 'x'.repeat(2000)],
      ['paperboy.more', '{"o":5,"q":"grokking","x":1}'],
      ['paperboy.more', '{"o":5,"r":"0123456789abcdef"}'],
      ['someone.else', 'anything'],
    ] as const) {
      const answer = await h.slack.action(h.endpoint, { actionId, value, channel: CHANNEL, message: { ts: items[0]!.ts, threadTs: parent.ts } });
      await h.adapter.idle();
      expect(textOf(h.slack.hookPostsFor(answer.hook))).toMatch(/isn't one this version of paperboy made|search has expired/);
    }
    const before = h.slack.hookPosts.length;
    const link = await h.slack.action(h.endpoint, { actionId: 'paperboy.link.hf', channel: CHANNEL, message: { ts: items[0]!.ts, threadTs: parent.ts } });
    await h.adapter.idle();
    expect([link.status, h.slack.hookPosts.length]).toEqual([200, before]);
  });
});
