/**
 * The daily LLM token budget per workspace, through the summariser against the fake OpenAI server and a real
 * store (both back ends): every call's reported usage is charged to the asking workspace's UTC day; once the day's
 * count reaches the budget that workspace gets the fallback (with its reason, in the logs too) and no call is made,
 * while other workspaces and the next UTC day get LLM summaries; a summary already cached is free for everyone.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { runSubscriptionAlerts } from '../src/schedule/alerts.js';
import { createSummariser, type SummariserEvent } from '../src/summarise/summariser.js';
import { FAKE_API_KEY, startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { paper } from './fixtures/summarise/papers.js';
import { listingsFor } from './support/papers.js';
import { EACH_BACKEND, useBackend, type TestStore } from './support/stores.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const teamA = { platform: 'slack', id: 'T0AAAAAAA' };
const teamB = { platform: 'slack', id: 'T0BBBBBBB' };
const DAY = '2026-05-18';
const NEXT_DAY = '2026-05-19';
const USAGE = { prompt_tokens: 600, completion_tokens: 150 }; // 750 a call

let fake: FakeOpenAI;
let now: Date;

beforeEach(async () => {
  fake = await startFakeOpenAI({ reply: summaryReply({ tldr: 'The LLM summary.' }, { usage: USAGE }) });
  now = new Date(`${DAY}T22:00:00Z`);
});

afterEach(async () => {
  await fake.close();
});

function setup(store: TestStore, budget: number | null) {
  const events: SummariserEvent[] = [];
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  const summariser = createSummariser({
    config: parseConfig({ OPENAI_API_KEY: FAKE_API_KEY, OPENAI_BASE_URL: fake.baseURL, ...(budget === null ? {} : { LLM_DAILY_TOKEN_BUDGET: String(budget) }) }),
    cache: store,
    usage: store,
    clock: () => now,
    logger: createLogger('info', sink),
    onEvent: (event) => events.push(event),
    maxRetries: 0,
  });
  return { summariser, events, logs };
}

const paperN = (n: number) => paper({ id: `2605.0000${n}` });

describe.each(EACH_BACKEND)('%s daily LLM token budget', (_, backend) => {
  const open = useBackend(backend);

  it("charges each call's reported total_tokens to the asking workspace's UTC day, with or without a budget", async () => {
    const store = open();
    const { summariser, events } = setup(store, null);
    expect((await summariser.summarise(paperN(1), teamA)).source).toBe('llm');
    expect((await summariser.summarise(paperN(2), teamA)).source).toBe('llm');
    expect((await summariser.summarise(paperN(3), teamB)).source).toBe('llm');
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1500);
    expect(await store.llmTokensUsed(teamB, DAY)).toBe(750);
    expect(events.filter((e) => e.type === 'llm_call')).toEqual([
      expect.objectContaining({ workspace: teamA, promptTokens: 600, completionTokens: 150, totalTokens: 750, estimated: false, ok: true }),
      expect.objectContaining({ workspace: teamA, totalTokens: 750 }),
      expect.objectContaining({ workspace: teamB, totalTokens: 750 }),
    ]);
  });

  it('once a workspace reaches its budget: fallback with the reason, no LLM call, nothing cached; other workspaces and the next UTC day still get the LLM', async () => {
    const store = open();
    const { summariser, events, logs } = setup(store, 1000);

    // 750, then 1500: the call that crosses the budget was allowed (it was under when it started).
    expect((await summariser.summarise(paperN(1), teamA)).source).toBe('llm');
    expect(await summariser.needsLlmCall(paperN(2), teamA)).toBe(true);
    expect((await summariser.summarise(paperN(2), teamA)).source).toBe('llm');
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1500);
    expect(logs.some((line) => line.msg === 'workspace used its daily LLM token budget; its new summaries come without the LLM until midnight UTC' && line.workspace === 'slack:T0AAAAAAA' && line.used === 1500 && line.budget === 1000)).toBe(true);
    const calls = fake.chatRequests().length;

    // Used up: HF's summary, with the reason, and no request.
    expect(await summariser.needsLlmCall(paperN(3), teamA)).toBe(false);
    const refused = await summariser.summarise(paperN(3), teamA);
    expect(refused).toMatchObject({ source: 'hf', model: null, fallback: 'budget_exhausted', tldr: expect.stringContaining('SparseMix routes each token') });
    expect(fake.chatRequests()).toHaveLength(calls);
    expect(events).toContainEqual({ type: 'budget_exhausted', workspace: teamA });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'summary without the LLM', paperId: '2605.00003', workspace: 'slack:T0AAAAAAA', reason: 'budget_exhausted', why: "the workspace's daily LLM token budget is used up" }));
    // Not cached as the paper's summary, and not remembered as a failure of the paper.
    expect(await store.getSummary({ paperId: '2605.00003', model: summariser.model!, promptHash: summariser.promptHash!, language: 'en' })).toBeNull();
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1500);

    // Another workspace with budget left gets the LLM's summary of the same paper, at once.
    expect(await summariser.needsLlmCall(paperN(3), teamB)).toBe(true);
    expect(await summariser.summarise(paperN(3), teamB)).toMatchObject({ source: 'llm', tldr: 'The LLM summary.' });
    expect(fake.chatRequests()).toHaveLength(calls + 1);
    expect(await store.llmTokensUsed(teamB, DAY)).toBe(750);

    // Now cached: free for the workspace that is out of budget too.
    expect(await summariser.summarise(paperN(3), teamA)).toMatchObject({ source: 'llm', tldr: 'The LLM summary.' });
    expect(fake.chatRequests()).toHaveLength(calls + 1);
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1500);

    // Midnight UTC: a new day, a new budget.
    now = new Date(`${NEXT_DAY}T00:00:01Z`);
    expect(await summariser.summarise(paperN(4), teamA)).toMatchObject({ source: 'llm' });
    expect(fake.chatRequests()).toHaveLength(calls + 2);
    expect(await store.llmTokensUsed(teamA, NEXT_DAY)).toBe(750);
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1500);
  });

  it('a workspace with budget left asking while an out-of-budget one holds the same paper still gets the LLM', async () => {
    const store = open();
    const { summariser } = setup(store, 1000);
    await store.addLlmTokens(teamA, DAY, 1000);
    // A asks first; B joins A's request for the same paper, which ends in A's budget fallback.
    const [forA, forB] = await Promise.all([summariser.summarise(paperN(5), teamA), summariser.summarise(paperN(5), teamB)]);
    expect(forA.fallback).toBe('budget_exhausted');
    expect(forB).toMatchObject({ source: 'llm', tldr: 'The LLM summary.' });
    expect(fake.chatRequests()).toHaveLength(1);
    expect(await store.llmTokensUsed(teamB, DAY)).toBe(750);
  });

  it('estimates from the text (about 4 characters a token) when the server reports no usage', async () => {
    const store = open();
    fake.reply(summaryReply({ tldr: 'The LLM summary.' }, { usage: null }));
    const { summariser, events } = setup(store, 1_000_000);
    expect((await summariser.summarise(paperN(6), teamA)).source).toBe('llm');
    const [request] = fake.chatRequests();
    const call = events.find((e) => e.type === 'llm_call');
    expect(call).toMatchObject({ estimated: true, promptTokens: 0, completionTokens: 0 });
    const promptChars = request!.messages.reduce((sum, message) => sum + String(message.content).length, 0);
    const total = call?.type === 'llm_call' ? call.totalTokens : 0;
    // The reply's characters count too: more than the prompt alone, less than prompt + a whole 1,000-char reply.
    expect(total).toBeGreaterThan(Math.ceil(promptChars / 4));
    expect(total).toBeLessThan(Math.ceil((promptChars + 1000) / 4));
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(total);
  });

  it("subscription alerts are charged to each channel's workspace; a channel whose workspace can't be named makes no call and holds up no other", async () => {
    const store = open();
    const { summariser, events } = setup(store, 1000);
    const publisher = new ThreadPublisher('slack');
    const [inA, inB, gone] = ['C0ALERTA1', 'C0ALERTB1', 'C0GONE001'].map((id) => ({ platform: 'slack', id }));
    publisher.workspaces.set(inA!.id, teamA.id).set(inB!.id, teamB.id);
    publisher.unavailable.add('slack:C0GONE001');
    await store.addLlmTokens(teamA, DAY, 1000);
    for (const channel of [inA!, inB!, gone!]) await store.addSubscription(channel, 'SparseMix', 'U1', now);
    await store.setState('alerts.watermark', new Date(now.getTime() - 60_000).toISOString());
    await store.saveDay(DAY, listingsFor(DAY, [paperN(8)]), now);

    const alerted = await runSubscriptionAlerts({ store, summariser, publishers: new Map([['slack', publisher]]), clock: () => now, logger: silentLogger }, new Date(now.getTime() + 1000));
    expect(alerted).toBe(3);
    expect(publisher.items.map((item) => item.channel).sort()).toEqual(['slack:C0ALERTA1', 'slack:C0ALERTB1']);
    // One LLM call, charged to B; A was out of budget (or got B's summary from the cache, free).
    expect(fake.chatRequests()).toHaveLength(1);
    expect(await store.llmTokensUsed(teamB, DAY)).toBe(750);
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(1000);
    expect(events.filter((e) => e.type === 'budget_exhausted').every((e) => e.type === 'budget_exhausted' && e.workspace.id === teamA.id)).toBe(true);
  });

  it('a failed call is not charged', async () => {
    const store = open();
    fake.reply({ status: 500, body: { error: { message: 'boom', type: 'server_error' } } });
    const { summariser } = setup(store, 1000);
    expect((await summariser.summarise(paperN(7), teamA)).fallback).toBe('llm_error');
    expect(await store.llmTokensUsed(teamA, DAY)).toBe(0);
  });
});
