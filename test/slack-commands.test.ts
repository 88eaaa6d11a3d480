import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SIGNING_SECRET } from './fakes/slack-api.js';
import { startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const papers = [
  makePaper({ id: '2605.00001', title: 'Grokking at scale', upvotes: 90 }),
  makePaper({ id: '2605.00002', title: 'Grokking modular arithmetic', upvotes: 50 }),
  makePaper({ id: '2605.00003', title: 'Sparse attention', upvotes: 30 }),
];
const textOf = (body: unknown) => JSON.stringify(body);

describe('/papers over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.seedDay(DAY, papers);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    await h.close();
  });

  it('answers a search in the ack, privately, well within 3 s', async () => {
    const answer = await h.slack.command(h.endpoint, { text: 'grokking' });
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(answer.body)).toContain('<https://huggingface.co/papers/2605.00001|Grokking at scale>');
    expect(textOf(answer.body)).toContain('Grokking modular arithmetic');
    expect(textOf(answer.body)).not.toContain('Sparse attention');
  });

  it("asks Hugging Face for a person's no-hit searches 3 at once, then one per 20 s; others still get theirs", async () => {
    const searches = () => h.hf.requests.filter((r) => r.path === '/api/papers/search').length;
    const before = searches();
    for (let i = 0; i < 5; i++) {
      const answer = await h.slack.command(h.endpoint, { text: `zyzzyva${i}`, user: 'U0NOHITS1' });
      expect(textOf(answer.body)).toContain('No papers match');
    }
    expect(searches() - before).toBe(3);
    await h.slack.command(h.endpoint, { text: 'zyzzyva-other', user: 'U0NOHITS2' });
    expect(searches() - before).toBe(4);
  });

  it('reads what Slack escaped back to what was typed', async () => {
    const answer = await h.slack.command(h.endpoint, { text: 'grokking -"a & b" <script>' });
    expect(answer.status).toBe(200);
    expect(textOf(answer.body)).not.toContain('&amp;amp;');
  });

  it('refuses a wrong signature and a timestamp older than five minutes with 401, handling nothing', async () => {
    const before = h.slack.acks.length;
    const wrong = await h.slack.command(h.endpoint, { text: 'subscribe wrong-secret' }, { secret: 'not-the-secret' });
    const old = await h.slack.command(h.endpoint, { text: 'subscribe too-old' }, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect([wrong.status, old.status]).toEqual([401, 401]);
    expect(h.slack.acks.length).toBe(before);
    expect((await h.store.listSubscriptions()).map((s) => s.query)).not.toContain('wrong-secret');
  });

  it('handles a retried delivery (X-Slack-Retry-Num) once', async () => {
    const channel = 'C0RETRY01';
    const first = await h.slack.command(h.endpoint, { text: 'subscribe retried', channel });
    const retry = await h.slack.command(h.endpoint, { text: '' }, { raw: first.raw, retryNum: 1 });
    const replay = await h.slack.command(h.endpoint, { text: '' }, { raw: first.raw });
    expect(first.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(first.body)).toContain('Subscribed this channel to “retried”');
    expect([retry.status, retry.body, replay.status, replay.body]).toEqual([200, null, 200, null]);
    expect(await h.store.listSubscriptions({ platform: 'slack', id: channel })).toHaveLength(1);
  });

  it('posts `digest` to the channel as one parent with one threaded reply per paper, once', async () => {
    const channel = 'C0DIGEST1';
    const answer = await h.slack.command(h.endpoint, { text: 'digest', channel });
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(answer.body)).toContain('Posting the digest here');
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(answer.hook))).toContain(`Posted ${papers.length} papers of Mon 18 May here.`);
    const [parent, ...others] = h.slack.topLevel(channel);
    expect(others).toEqual([]);
    expect(parent!.body.text).toContain('Trending papers · Mon 18 May');
    const replies = h.slack.replies(channel, parent!.ts);
    expect(replies.map((r) => (r.body.metadata as { event_payload: { paper: string } }).event_payload.paper)).toEqual(papers.map((p) => p.id));

    const again = await h.slack.command(h.endpoint, { text: 'digest', channel });
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(again.hook))).toContain('The digest for Mon 18 May was already posted here.');
    await h.adapter.idle();
    expect(h.slack.topLevel(channel)).toHaveLength(1);
  });

  it('tells a channel the bot cannot post in how to fix it, privately', async () => {
    h.slack.setChannel('G0PRIVATE1', 'not_in_channel');
    const answer = await h.slack.command(h.endpoint, { text: 'digest', channel: 'G0PRIVATE1' });
    await h.adapter.idle();
    expect(h.slack.hookPostsFor(answer.hook).map(textOf).join()).toContain('/invite @paperboy');
  });

  it('answers help, settings and unknown input privately', async () => {
    for (const text of ['help', '', 'settings', 'summary not-an-id', 'x'.repeat(3000)]) {
      const answer = await h.slack.command(h.endpoint, { text });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    }
  });
});

describe('who may change a channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SLACK_ADMIN_USER_IDS: 'U0ADMIN01,U0ADMIN02' } });
  });
  afterAll(async () => h.close());

  it('refuses non-admins privately, naming the admins, and lets admins subscribe', async () => {
    for (const text of ['subscribe grokking', 'unsubscribe all', 'settings time 08:00']) {
      const refused = await h.slack.command(h.endpoint, { text, user: 'U0SOMEONE', channel: 'C0ADMINS1' });
      expect(refused.body).toMatchObject({ response_type: 'ephemeral' });
      expect(textOf(refused.body)).toContain('Only people who can manage this channel');
      expect(textOf(refused.body)).toContain('<@U0ADMIN01>, <@U0ADMIN02>');
    }
    expect(await h.store.listSubscriptions()).toEqual([]);
    const allowed = await h.slack.command(h.endpoint, { text: 'subscribe grokking', user: 'U0ADMIN02', channel: 'C0ADMINS1' });
    expect(allowed.body).toMatchObject({ response_type: 'in_channel' });
    const viewing = await h.slack.command(h.endpoint, { text: 'settings', user: 'U0SOMEONE', channel: 'C0ADMINS1' });
    expect(textOf(viewing.body)).toContain('Digest here');
  });
});

describe('slow commands', () => {
  let h: Harness;
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'A slow but thorough summary.' }, { delayMs: 1200 }) });
    h = await startHarness({ llm, adapter: { ackBudgetMs: 300 } });
    await h.seedDay(DAY, papers);
    h.hf.addPapers([{ id: '2605.09999', title: 'Remote grokking survey', summary: 'Only Hugging Face knows this one.', authors: [{ name: 'Remote Author' }], publishedAt: '2026-05-10T00:00:00.000Z', upvotes: 3 }]);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    await h.close();
    await llm.close();
  });

  it('acks an LLM summary at once with "working on it" and completes it through response_url', async () => {
    const answer = await h.slack.command(h.endpoint, { text: 'summary 2605.00001' });
    expect(answer.ms).toBeLessThan(500);
    expect(textOf(answer.body)).toContain('Summarising “Grokking at scale”');
    expect(h.slack.hookPostsFor(answer.hook)).toEqual([]);
    await h.adapter.idle();
    const [late] = h.slack.hookPostsFor(answer.hook);
    expect(late).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(late)).toContain('A slow but thorough summary.');
  });

  it('acks a search held up by the Hugging Face fallback within the budget and follows up', async () => {
    h.hf.fail({ kind: 'slow', delayMs: 800 }, { path: '/api/papers/search' });
    const answer = await h.slack.command(h.endpoint, { text: 'survey' });
    expect(answer.ms).toBeLessThan(800);
    expect(textOf(answer.body)).toContain('Working on it');
    await h.adapter.idle();
    const [late] = h.slack.hookPostsFor(answer.hook);
    expect(textOf(late)).toContain('Remote grokking survey');
    expect(textOf(late)).toContain('Some results come from Hugging Face search.');
  });
});

it('the fake signs with the secret the harness configures', () => {
  expect(FAKE_SIGNING_SECRET.length).toBeGreaterThan(20);
});
