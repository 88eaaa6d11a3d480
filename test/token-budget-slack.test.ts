/**
 * The daily token budget end to end on Slack: signed `/papers summary` commands from two workspaces (`team_id`)
 * through the real adapter, the fake OpenAI server counting what it is asked, a scheduled digest whose workspace
 * comes from auth.test, and GET /metrics through the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { silentLogger } from '../src/logger.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import { startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';
import { TEAM_ID } from './fixtures/slack/requests.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const OTHER_TEAM = 'T0OTHER01';
const papers = [1, 2, 3, 4, 5, 6].map((n) => makePaper({ id: `2605.0000${n}`, title: `Paper number ${n}`, upvotes: 100 - n, aiSummary: `Hugging Face's take on paper ${n}.` }));
const textOf = (body: unknown) => JSON.stringify(body);

describe('daily LLM token budget on Slack', () => {
  let h: Harness;
  let llm: FakeOpenAI;
  let now = new Date(`${DAY}T12:00:00Z`);

  beforeAll(async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'What the LLM made of it.' }, { usage: { prompt_tokens: 600, completion_tokens: 150 } }) });
    h = await startHarness({ llm, env: { LLM_DAILY_TOKEN_BUDGET: '1000' }, clock: () => now });
    await h.seedDay(DAY, papers);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    await h.close();
    await llm.close();
  });

  /** `/papers summary <id>` from a workspace; the answer, in the ack or followed up. */
  async function summary(id: string, team?: string): Promise<{ acked: string; answer: string }> {
    // Signed at the injected clock's time, which the adapter checks the timestamp against.
    const sent = await h.slack.command(h.endpoint, { text: `summary ${id}`, ...(team ? { team } : {}) }, { timestamp: Math.floor(now.getTime() / 1000) });
    await h.adapter.idle();
    return { acked: textOf(sent.body), answer: textOf(sent.body) + h.slack.hookPostsFor(sent.hook).map(textOf).join() };
  }

  it("counts the LLM's reported usage against the asking workspace; once used up its summaries fall back without a call", async () => {
    expect((await summary('2605.00001')).answer).toContain('What the LLM made of it.');
    expect((await summary('2605.00002')).answer).toContain('What the LLM made of it.');
    expect(await h.store.llmTokensUsed({ platform: 'slack', id: TEAM_ID }, DAY)).toBe(1500);
    expect(llm.chatRequests()).toHaveLength(2);

    // Used up: answered at once (no "Summarising…", nothing slow to wait for), with HF's summary, no LLM call.
    const refused = await summary('2605.00003');
    expect(refused.acked).toContain("Hugging Face's take on paper 3.");
    expect(refused.acked).not.toContain('Summarising');
    expect(llm.chatRequests()).toHaveLength(2);
  });

  it('another workspace with budget left still gets LLM summaries, and then that summary is free for everyone', async () => {
    expect((await summary('2605.00003', OTHER_TEAM)).answer).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(3);
    expect(await h.store.llmTokensUsed({ platform: 'slack', id: OTHER_TEAM }, DAY)).toBe(750);
    // Cached now: the out-of-budget workspace gets it too, at no cost.
    expect((await summary('2605.00003')).answer).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(3);
  });

  it("a scheduled digest is charged to the bot token's workspace (auth.test): used up, its new papers come without the LLM", async () => {
    const channel = { platform: 'slack', id: 'C0DIGEST01' };
    await h.store.saveChannelSettings({ channel, time: '09:00', timeZone: 'UTC', size: 4, paused: false, emptyDayNote: false });
    const [result] = await runDailyDigests(
      { store: h.store, summariser: h.summariser, publishers: new Map([['slack', h.adapter.publisher]]), clock: () => now, logger: silentLogger },
      [(await h.store.getChannelSettings(channel))!],
      now,
    );
    expect(result).toMatchObject({ outcome: { status: 'delivered' } });
    const posted = h.slack.messages.filter((m) => m.channel === channel.id).map(textOf).join();
    expect(posted).toContain("Hugging Face's take on paper 4.");
    // Paper 3's LLM summary was cached, so the digest has it anyway; nothing new was asked.
    expect(posted).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(3);
  });

  it("Summarise on a digest paper is charged to the presser's workspace (the payload's team)", async () => {
    const channel = 'C0DIGEST01';
    const item = h.slack.messages.find((m) => m.channel === channel && textOf(m.body).includes('sum:2605.00004'))!;
    const press = await h.slack.action(
      h.endpoint,
      { actionId: 'paperboy.summarise', value: 'sum:2605.00004', channel, team: OTHER_TEAM, message: { ts: item.ts, threadTs: item.threadTs } },
      { timestamp: Math.floor(now.getTime() / 1000) },
    );
    expect(press.status).toBe(200);
    await h.adapter.idle();
    expect(h.slack.replies(channel, item.threadTs!).map(textOf).join()).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(4);
    expect(await h.store.llmTokensUsed({ platform: 'slack', id: OTHER_TEAM }, DAY)).toBe(1500);
  });

  it('GET /metrics counts tokens and budget refusals by workspace', async () => {
    const base = h.endpoint.replace(/\/slack\/events$/, '');
    const text = await (await request(`${base}/metrics`)).body.text();
    expect(text).toContain(`paperboy_llm_tokens_total{kind="prompt",platform="slack",workspace="${TEAM_ID}"} 1200`);
    expect(text).toContain(`paperboy_llm_tokens_total{kind="completion",platform="slack",workspace="${TEAM_ID}"} 300`);
    expect(text).toContain(`paperboy_llm_tokens_total{kind="prompt",platform="slack",workspace="${OTHER_TEAM}"} 1200`);
    // Paper 3 by command, then paper 4 of the digest (1 to 3 were cached).
    expect(text).toContain(`paperboy_llm_budget_exhausted_total{platform="slack",workspace="${TEAM_ID}"} 2`);
    expect(text).not.toContain(`paperboy_llm_budget_exhausted_total{platform="slack",workspace="${OTHER_TEAM}"}`);
  });

  it('the next UTC day starts a fresh budget', async () => {
    now = new Date('2026-05-19T00:00:05Z');
    expect((await summary('2605.00005')).answer).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(5);
    expect(await h.store.llmTokensUsed({ platform: 'slack', id: TEAM_ID }, '2026-05-19')).toBe(750);
  });
});
