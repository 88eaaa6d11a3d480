import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'socket' });
    await h.seedDay('2026-05-18', [makePaper({ id: '2605.00001', title: 'Grokking at scale' })]);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    await h.close();
  });

  it('connects through apps.connections.open at SLACK_API_URL and mounts no HTTP route', async () => {
    expect(h.adapter.mode).toBe('socket');
    expect(h.slack.calls.map((c) => c.method)).toContain('apps.connections.open');
    expect(h.slack.socket.connections.size).toBe(1);
    expect((await fetch(h.endpoint, { method: 'POST', body: '' })).status).toBe(404);
  });

  it('answers /papers in the envelope ack', async () => {
    const { payload, ms } = await h.slack.socket.command({ text: 'grokking' });
    expect(ms).toBeLessThan(1000);
    expect(payload).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(payload)).toContain('Grokking at scale');
  });

  it('acknowledges a burst of commands at once and answers each one once, the rest at its response_url', async () => {
    // Eight envelopes written together arrive in one read: answering each in its ack would make the last wait
    // for seven searches, so they are acknowledged empty and answered right after.
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => h.slack.socket.command({ text: 'grokking', channel: `C0BURST${i}`, user: `U0BURST${i}` })));
    await h.adapter.idle();
    const afterAck = sent.filter((s) => s.payload === null);
    expect(afterAck.length).toBeGreaterThanOrEqual(2);
    for (const { payload, hook } of sent) {
      const answers = [...(payload ? [payload] : []), ...h.slack.hookPostsFor(hook)];
      expect(answers).toHaveLength(1);
      expect(answers[0]).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(answers[0])).toContain('Grokking at scale');
    }
    // The burst is over: one command alone is answered in its ack again.
    expect(JSON.stringify((await h.slack.socket.command({ text: 'grokking', user: 'U0BURST9' })).payload)).toContain('Grokking at scale');
  });

  it('handles a retried envelope once', async () => {
    const input = { text: 'subscribe socket retries', channel: 'C0SOCKET1', triggerId: '111.222.socket' };
    const first = await h.slack.socket.command(input);
    const retry = await h.slack.socket.command(input, 1);
    expect(JSON.stringify(first.payload)).toContain('Subscribed this channel');
    expect(retry.payload).toBeNull();
    expect(await h.store.listSubscriptions({ platform: 'slack', id: 'C0SOCKET1' })).toHaveLength(1);
  });

  it('takes button presses over the socket too', async () => {
    const { hook } = await h.slack.socket.action({ actionId: 'paperboy.abstract', value: '2605.00001', channel: 'C0SOCKET1', message: null });
    await h.adapter.idle();
    expect(JSON.stringify(h.slack.hookPostsFor(hook))).toContain('We study a problem');
  });
});
