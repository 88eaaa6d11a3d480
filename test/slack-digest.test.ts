import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PostPacer } from '../adapters/slack/pacer.js';
import type { ChannelRef } from '../src/channel.js';
import { deliverDigest } from '../src/delivery/deliver-digest.js';
import { deliverToChannels } from '../src/delivery/fan-out.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import type { Digest } from '../src/digest/digest.js';
import { createLogger } from '../src/logger.js';
import { startHarness, type Harness, type HarnessOptions } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { deepFreeze } from '../src/util/deep-freeze.js';

const DAY = '2026-05-18';
const papers = [makePaper({ id: '2605.00001', upvotes: 90 }), makePaper({ id: '2605.00002', upvotes: 50 }), makePaper({ id: '2605.00003', upvotes: 30, githubRepo: 'https://github.com/o/r', githubStars: 7 })];
const slack = (id: string): ChannelRef => ({ platform: 'slack', id });
const channels = ['C0FAN0001', 'C0FAN0002', 'C0FAN0003', 'C0FAN0004', 'C0FAN0005'].map(slack);

let h: Harness;
afterEach(async () => {
  await h?.close();
  h = undefined as unknown as Harness;
});

async function setUp(options: HarnessOptions): Promise<Digest> {
  h = await startHarness(options);
  await h.seedDay(DAY, papers);
  return (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: channels[0]!, workspace: LOCAL_WORKSPACE, size: 10, timeZone: 'UTC', day: DAY }))!;
}
const deps = () => ({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() });

/** Every channel: one parent, then each paper once, in order, as a reply in the parent's thread. */
function expectThreaded(channel: ChannelRef): void {
  const [parent, ...stray] = h.slack.topLevel(channel.id);
  expect(stray).toEqual([]);
  const replies = h.slack.replies(channel.id, parent!.ts);
  expect(replies.map((r) => (r.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual(papers.map((p) => p.id));
}

function capturedLogs() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger('info', stream), lines };
}

describe('digest delivery to Slack', () => {
  it('lands complete and threaded in 5 channels despite 429s, waiting each Retry-After', async () => {
    // The adapter is set to post far faster than the fake allows, so it runs into the limit on purpose.
    const digest = await setUp({ slack: { postIntervalMs: 300 }, adapter: { pacing: { intervalMs: 20, workspacePerMinute: null } } });
    const results = await deliverToChannels(deps(), channels, async () => digest);
    expect(results.map((r) => ('outcome' in r ? r.outcome.status : r.error.code))).toEqual(Array(5).fill('delivered'));
    for (const channel of channels) expectThreaded(channel);
    expect(h.slack.rateLimited.length).toBeGreaterThan(0);
    expect(h.slack.rejected).toEqual([]);
    for (const channel of channels) expect((await h.store.getDelivery(channel, digest.key))?.completedAt).toBeInstanceOf(Date);
  });

  it('paced like Slack, the same fan-out runs concurrently and draws no 429', async () => {
    const digest = await setUp({ slack: { postIntervalMs: 200 }, adapter: { pacing: { intervalMs: 200, workspacePerMinute: null } } });
    const started = performance.now();
    await deliverToChannels(deps(), channels, async () => digest);
    const ms = performance.now() - started;
    for (const channel of channels) expectThreaded(channel);
    expect(h.slack.rateLimited).toEqual([]);
    // 4 posts a channel, 3 gaps of 200 ms: concurrent channels take about one channel's time, not five.
    expect(ms).toBeLessThan(1500);
  });

  it('retries 5xx with backoff, and a lasting failure is an error the fan-out reports and logs', async () => {
    const { logger, lines } = capturedLogs();
    const digest = await setUp({ logger });
    h.slack.failNext('chat.postMessage', { status: 503 }, 2);
    expect((await deliverDigest(deps(), channels[0]!, digest)).status).toBe('delivered');
    expectThreaded(channels[0]!);
    expect(lines.filter((l) => l.includes('slack: call failed; retrying'))).toHaveLength(2);

    h.slack.failNext('chat.postMessage', { status: 500 }, 100);
    const [result] = await deliverToChannels(deps(), [channels[1]!], async () => digest);
    expect(result).toMatchObject({ error: { code: 'slack_unavailable' } });
    // Four attempts (three logged retries), then the error: bounded, and never silent.
    expect(lines.filter((l) => l.includes('slack: call failed; retrying'))).toHaveLength(2 + 3);
  });

  it('refuses a message over the limits before sending it: Slack never sees it', async () => {
    await setUp({});
    const before = h.slack.calls.filter((c) => c.method === 'chat.postMessage').length;
    await expect(h.adapter.api.postMessage('C0LIMITS1', () => ({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }))).rejects.toThrow(/Refusing to send a message Slack would reject: blocks/);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(before);
  });

  it("builds a message when its channel's slot comes, not while the channel waits for it", async () => {
    // In a fan-out each channel's next item waits a second behind its parent; built at once, a thousand of them
    // were rendered while the last channels' parents were still waiting to go.
    await setUp({});
    const answered: number[] = [];
    const built: number[] = [];
    const post = (text: string) =>
      h.adapter.api
        .postMessage('C0SLOT001', () => {
          built.push(performance.now());
          return { text };
        })
        .then(() => answered.push(performance.now()));
    await Promise.all([post('first'), post('second')]);
    expect(built).toHaveLength(2);
    // The fake answers, then the pacer holds the channel for its interval (100 ms here) before the next build.
    expect(built[1]! - answered[0]!).toBeGreaterThanOrEqual(95);
  });

  it('renders a frozen (shared) digest once for all its channels, and a digest of its own for each post', async () => {
    const own = await setUp({});
    const shared = deepFreeze(structuredClone(own));
    // What each post was built from, by message text (a paper's reply, or the parent).
    const built = new Map<string, Set<unknown>>();
    const postMessage = h.adapter.api.postMessage.bind(h.adapter.api);
    h.adapter.api.postMessage = (channel, build) =>
      postMessage(channel, () => {
        const args = build();
        const blocks = built.get(String(args.text)) ?? new Set();
        built.set(String(args.text), blocks.add(args.blocks));
        return args;
      });
    await deliverToChannels(deps(), channels.slice(0, 3), async () => shared);
    expect([...built.values()].map((blocks) => blocks.size)).toEqual(Array(papers.length + 1).fill(1));
    built.clear();
    await deliverToChannels(deps(), channels.slice(3), async () => own);
    expect([...built.values()].map((blocks) => blocks.size)).toEqual(Array(papers.length + 1).fill(2));
    for (const channel of channels) expectThreaded(channel);
    expect(h.slack.rejected).toEqual([]);
  });

  it('updates the parent, posts late additions as one reply and notices, all accepted', async () => {
    const digest = await setUp({});
    const outcome = await deliverDigest(deps(), channels[0]!, digest);
    if (outcome.status !== 'delivered') throw new Error('not delivered');
    await h.adapter.publisher.updateParent(channels[0]!, outcome.parent, { ...digest, items: digest.items.map((i) => ({ ...i, paper: { ...i.paper, upvotes: i.paper.upvotes + 100 } })) });
    await h.adapter.publisher.postGroup(channels[0]!, outcome.parent, 'Late additions', digest.items, digest);
    await h.adapter.publisher.postNotice(channels[0]!, 'No new papers today.');
    const parent = h.slack.topLevel(channels[0]!.id)[0]!;
    expect(JSON.stringify(parent.edits)).toContain('▲ 190');
    expect(h.slack.replies(channels[0]!.id, parent.ts)).toHaveLength(4);
    expect(h.slack.rejected).toEqual([]);
  });
});

describe('pacing', () => {
  it('keeps one channel to its interval and the workspace to its cap', async () => {
    const pacer = new PostPacer({ intervalMs: 100, workspacePerMinute: 1200, workspaceBurst: 1 });
    const times: Record<string, number[]> = {};
    const started = performance.now();
    const post = (channel: string) => pacer.run(channel, async () => void (times[channel] ??= []).push(performance.now() - started));
    await Promise.all([...Array(4)].flatMap(() => ['C1', 'C2', 'C3'].map(post)));
    for (const list of Object.values(times)) for (let i = 1; i < list.length; i++) expect(list[i]! - list[i - 1]!).toBeGreaterThanOrEqual(99);
    // 12 posts at 20 a second after a burst of 1: at least 550 ms however many channels share them.
    expect(Math.max(...Object.values(times).flat())).toBeGreaterThanOrEqual(500);
  });
});
