import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './fakes/slack-api.js';

/** The fake is only worth its "accepted" if it refuses what Slack refuses; these pin its strictness. */
let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ postIntervalMs: 1000 });
});
afterAll(async () => slack.close());

let channelCounter = 0;
async function post(args: Record<string, unknown>, method = 'chat.postMessage', token = slack.botToken) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel: `C0FAKE${++channelCounter}`, unfurl_links: false, ...args }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { ok: boolean; error?: string; ts?: string } };
}
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (action_id: string, text = 'Go', extra: Record<string, unknown> = {}) => ({ type: 'button', text: { type: 'plain_text', text }, action_id, ...extra });

describe('the Slack fake', () => {
  it('accepts a message within the limits and refuses each limit broken, as Slack answers', async () => {
    expect((await post({ text: 'hi', blocks: [section('x'.repeat(3000))] })).body.ok).toBe(true);
    const cases: [string, Record<string, unknown>][] = [
      ['invalid_blocks', { blocks: Array.from({ length: 51 }, () => section('x')) }],
      ['invalid_blocks', { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }],
      ['invalid_blocks', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }],
      ['invalid_blocks', { blocks: [section('x'.repeat(3001))] }],
      ['invalid_blocks', { blocks: [section('')] }],
      ['invalid_blocks', { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] }],
      ['invalid_blocks', { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }] }],
      ['invalid_blocks', { blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }] }],
      ['invalid_blocks', { blocks: [{ type: 'actions', elements: [button('same'), button('same')] }] }],
      ['invalid_blocks', { blocks: [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }] }],
      ['invalid_blocks', { blocks: [{ type: 'actions', elements: [button('x'.repeat(256))] }] }],
      ['invalid_blocks', { blocks: [{ type: 'actions', elements: [button('a', 'Go', { url: `https://x.example/${'a'.repeat(3000)}` })] }] }],
      ['invalid_blocks', { blocks: [{ type: 'actions', elements: [button('a', 'Go', { value: 'v'.repeat(2001) })] }] }],
      ['invalid_blocks', { blocks: [section('a'), { ...section('b'), block_id: 'x' }, { ...section('c'), block_id: 'x' }] }],
      ['invalid_blocks', { blocks: [{ type: 'carousel' }] }],
      ['msg_too_long', { text: 'x'.repeat(40_001) }],
      ['no_text', {}],
      ['invalid_arguments', { text: 'hi', unfurl_links: true }],
    ];
    for (const [error, args] of cases) expect((await post(args)).body, JSON.stringify(args).slice(0, 80)).toMatchObject({ ok: false, error });
  });

  it('lets one message a second into a channel and answers the next 429 with Retry-After', async () => {
    const first = await post({ channel: 'C0RATE001', text: 'one' });
    const second = await post({ channel: 'C0RATE001', text: 'two' });
    const elsewhere = await post({ channel: 'C0RATE002', text: 'two' });
    expect(first.body.ok).toBe(true);
    expect(second).toMatchObject({ status: 429, retryAfter: '1', body: { ok: false, error: 'ratelimited' } });
    expect(elsewhere.body.ok).toBe(true);
  });

  it('threads only under a top-level message of the same channel', async () => {
    const parent = await post({ channel: 'C0THREAD1', text: 'parent' });
    expect((await post({ channel: 'C0THREAD2', text: 'r', thread_ts: parent.body.ts })).body.error).toBe('thread_not_found');
  });

  it('checks the token and records unknown methods', async () => {
    expect((await post({ text: 'x' }, 'chat.postMessage', 'xoxb-wrong')).body.error).toBe('invalid_auth');
    expect((await post({}, 'chat.meMessage')).body.error).toBe('unknown_method');
    expect(slack.unknownMethods).toEqual(['chat.meMessage']);
    slack.unknownMethods.length = 0;
  });

  it('reads JSON bodies only on write methods, as Slack does', async () => {
    expect((await post({ limit: 5 }, 'conversations.history')).body.error).toBe('invalid_arguments');
    expect(slack.rejected.at(-1)).toMatchObject({ where: 'conversations.history', error: 'invalid_arguments' });
    slack.rejected.length = 0;
  });
});
