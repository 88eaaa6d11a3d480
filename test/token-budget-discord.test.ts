/**
 * The daily token budget end to end on Discord: signed `/papers` interactions from two servers (`guild_id`) and
 * a DM through the real adapter, and a scheduled digest into a channel no interaction has named, whose server the
 * publisher looks up once (GET /channels/{id} → guild_id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import { GUILD_ID } from './fakes/discord-api.js';
import { startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { makePaper } from './support/papers.js';

// The harness runs on the real clock: the budget's day is today's UTC date.
const today = () => new Date().toISOString().slice(0, 10);
const DAY = '2026-05-18';
const OTHER_GUILD = '281683040739262466';
const DIGEST_GUILD = '281683040739262467';
const papers = [1, 2, 3].map((n) => makePaper({ id: `2605.0000${n}`, title: `Paper number ${n}`, upvotes: 100 - n, aiSummary: `Hugging Face's take on paper ${n}.` }));
const descriptions = (message: unknown) => JSON.stringify(message);

describe('daily LLM token budget on Discord', () => {
  let h: Harness;
  let llm: FakeOpenAI;

  beforeAll(async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'What the LLM made of it.' }, { usage: { prompt_tokens: 600, completion_tokens: 150 } }) });
    h = await startHarness({ llm, env: { LLM_DAILY_TOKEN_BUDGET: '1000' } });
    await h.seedDay(DAY, papers);
  });
  afterAll(async () => {
    expect(h.discord.unknownRoutes).toEqual([]);
    await h.close();
    await llm.close();
  });

  async function summary(channel: string, id: string, options: { dm?: boolean } = {}): Promise<{ type: unknown; text: string }> {
    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `summary ${id}`, options));
    await h.adapter.idle();
    return { type: res.body?.type, text: descriptions(res.body) + descriptions(res.interaction.original?.edits ?? []) };
  }

  it("a server that used its budget gets HF's summary at once and no LLM call; another server gets the LLM's", async () => {
    await h.store.addLlmTokens({ platform: 'discord', id: GUILD_ID }, today(), 1000);
    const spent = h.discord.addChannel(0, undefined, GUILD_ID);
    const fresh = h.discord.addChannel(0, undefined, OTHER_GUILD);

    const refused = await summary(spent, '2605.00001');
    expect(refused.type).toBe(4); // answered directly: nothing slow to defer for
    expect(refused.text).toContain("Hugging Face's take on paper 1.");
    expect(llm.chatRequests()).toHaveLength(0);

    const answered = await summary(fresh, '2605.00001');
    expect(answered.type).toBe(5);
    expect(answered.text).toContain('What the LLM made of it.');
    expect(llm.chatRequests()).toHaveLength(1);
    expect(await h.store.llmTokensUsed({ platform: 'discord', id: OTHER_GUILD }, today())).toBe(750);
    expect(await h.store.llmTokensUsed({ platform: 'discord', id: GUILD_ID }, today())).toBe(1000);
  });

  it('DMs, which have no server, share one workspace', async () => {
    const dm = h.discord.addChannel(1, undefined, null);
    expect((await summary(dm, '2605.00002', { dm: true })).text).toContain('What the LLM made of it.');
    expect(await h.store.llmTokensUsed({ platform: 'discord', id: 'direct' }, today())).toBe(750);
  });

  it("a scheduled digest is charged to its channel's server, looked up once", async () => {
    const channel = { platform: 'discord', id: h.discord.addChannel(0, undefined, DIGEST_GUILD) };
    await h.store.saveChannelSettings({ channel, time: '00:00', timeZone: 'UTC', size: 3, paused: false, emptyDayNote: false });
    const deps = { store: h.store, summariser: h.summariser, publishers: new Map([['discord', h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger };
    const [result] = await runDailyDigests(deps, [(await h.store.getChannelSettings(channel))!], new Date());
    expect(result).toMatchObject({ outcome: { status: 'delivered' } });
    // Papers 1 and 2 were cached by the commands above; paper 3 is new and charged to the digest's server.
    expect(llm.chatRequests()).toHaveLength(3);
    expect(await h.store.llmTokensUsed({ platform: 'discord', id: DIGEST_GUILD }, today())).toBe(750);
    expect(h.discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channel.id}`)).toHaveLength(1);
    expect(await h.adapter.publisher.workspaceOf(channel)).toEqual({ platform: 'discord', id: DIGEST_GUILD });
    expect(h.discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channel.id}`)).toHaveLength(1);
  });
});
