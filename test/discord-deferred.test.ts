import { afterEach, describe, expect, it } from 'vitest';
import { makeHfEntry } from './fakes/hf-server.js';
import { startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { makePaper } from './support/papers.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

const DAY = '2026-05-18';
const paper = makePaper({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability', upvotes: 97 });

let h: Harness;
let llm: FakeOpenAI | undefined;

afterEach(async () => {
  await h.adapter.idle();
  expect(h.discord.unknownRoutes).toEqual([]);
  expect(h.discord.rejected).toEqual([]);
  await h.close();
  await llm?.close();
  llm = undefined;
});

const embedsOf = (edit: Record<string, unknown> | undefined) => (edit?.embeds ?? []) as { title?: string; description?: string }[];

describe('answering within 3 seconds', () => {
  it('defers a summary that needs a slow LLM call at once, then edits @original', async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'An LLM summary that took its time.' }, { delayMs: 3500 }) });
    h = await startHarness({ llm });
    await h.seedDay(DAY, [paper]);
    const channel = h.discord.addChannel();

    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'summary 2605.15298'));

    expect(res.body).toEqual({ type: 5, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(res.ms).toBeLessThan(500);
    await h.adapter.idle();
    const edit = res.interaction.original!.edits[0];
    expect(embedsOf(edit)[0]!.description).toContain('An LLM summary that took its time.');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
  }, 15_000);

  it('answers the same summary directly once it is cached', async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'Cached LLM summary.' }) });
    h = await startHarness({ llm });
    await h.seedDay(DAY, [paper]);
    const channel = h.discord.addChannel();
    await h.summariser.summarise(paper, LOCAL_WORKSPACE);

    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'summary 2605.15298'));

    expect(res.body?.type).toBe(4);
    expect(embedsOf(res.body?.data)[0]!.description).toContain('Cached LLM summary.');
  });

  it('defers when work that looked quick runs past the deadline (a slow Hugging Face lookup)', async () => {
    h = await startHarness({ adapter: { deferAfterMs: 150 } });
    h.hf.addPapers([{ ...makeHfEntry({ id: '2605.19999', title: 'A Paper Only Hugging Face Has' }).paper }]);
    h.hf.fail({ kind: 'slow', delayMs: 600 }, { path: '/api/papers/2605.19999' });
    const channel = h.discord.addChannel();

    const res = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'summary 2605.19999'));

    expect(res.body?.type).toBe(5);
    await h.adapter.idle();
    expect(embedsOf(res.interaction.original!.edits[0])[0]!.title).toContain('A Paper Only Hugging Face Has');
  });

  it('defers Summarise in a thread when the LLM is slow, and still posts once', async () => {
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'Slow but sure.' }, { delayMs: 800 }) });
    h = await startHarness({ llm, discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
    await h.seedDay(DAY, [paper]);
    const thread = h.discord.addChannel(11);

    const clicks = await Promise.all([0, 1].map(() => h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(thread, 'sum:2605.15298', { id: '1241234567890123456' }))));
    await h.adapter.idle();

    // Both are known to be slow (an LLM call), so both are deferred at once; one posts, the other is told.
    expect(clicks.map((c) => c.body?.type)).toEqual([5, 5]);
    const posted = h.discord.messagesIn(thread);
    expect(posted).toHaveLength(1);
    expect(embedsOf(posted[0]!.body)[0]!.description).toContain('Slow but sure.');
    const answers = clicks.map((c) => String(c.interaction.original!.edits[0]!.content)).sort();
    expect(answers).toEqual([expect.stringContaining('A summary of this paper is being posted in this thread right now.'), expect.stringContaining('Summary posted in this thread.')]);
  });
});
