import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../src/channel.js';
import type { Command } from '../src/commands/command.js';
import type { CommandContext } from '../src/commands/context.js';
import { planCommand } from '../src/commands/plan-command.js';
import { applySettings } from '../src/commands/settings.js';
import { parseConfig } from '../src/config.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import { createHuggingFaceSource } from '../src/papers/huggingface.js';
import { runSubscriptionAlerts } from '../src/schedule/alerts.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import type { ScheduleDeps } from '../src/schedule/schedule-deps.js';
import type { ChannelSettings, Store } from '../src/store/store.js';
import { parseLanguage } from '../src/summarise/language.js';
import { DEFAULT_PROMPTS_DIR, loadPrompts } from '../src/summarise/prompts.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { startFakeHfServer } from './fakes/hf-server.js';
import { FAKE_API_KEY, startFakeOpenAI, summaryReply, type ChatRequest, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness as startDiscord } from './fixtures/discord/harness.js';
import { startHarness as startSlack } from './fixtures/slack/harness.js';
import { paper } from './fixtures/summarise/papers.js';
import { listingsFor } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';
import { ThreadPublisher } from './support/thread-publisher.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

const DAY = '2026-05-18';
const slack = (id: string): ChannelRef => ({ platform: 'slack', id });
const base: ChannelSettings = { channel: slack('C0LANG0001'), time: '09:00', timeZone: 'UTC', size: 1, paused: false, emptyDayNote: false, language: null };
const systemOf = (request: ChatRequest) => request.messages.find((m) => m.role === 'system')?.content ?? '';
const userOf = (request: ChatRequest) => request.messages.find((m) => m.role === 'user')?.content ?? '';
/** The fake answers in whatever language the prompt asked for, so the test can see which one it got. */
const answerInAskedLanguage = (request: ChatRequest) =>
  summaryReply({ tldr: systemOf(request).includes('values in German') ? 'Eine Methode, die funktioniert.' : 'A method that works.' });

describe('settings lang', () => {
  it('takes BCP-47 tags and English names, stores the canonical tag, and English as no setting', () => {
    expect(applySettings(base, ['lang', 'de'])).toMatchObject({ language: 'de' });
    expect(applySettings(base, ['lang', 'pt-br'])).toMatchObject({ language: 'pt-BR' });
    expect(applySettings(base, ['language', 'Japanese', 'size', '3'])).toMatchObject({ language: 'ja', size: 3 });
    expect(applySettings(base, ['lang', 'Brazilian', 'Portuguese'])).toMatchObject({ language: 'pt-BR' });
    expect(applySettings(base, ['lang', 'German', 'size', '2'])).toMatchObject({ language: 'de', size: 2 });
    expect(applySettings({ ...base, language: 'de' }, ['lang', 'en'])).toMatchObject({ language: null });
    expect(applySettings({ ...base, language: 'de' }, ['lang', 'off'])).toMatchObject({ language: null });
    expect(parseLanguage('zh-hant')).toBe('zh-Hant');
  });

  it('refuses what is no language, clearly, and applies nothing', () => {
    for (const word of ['klingonese', 'xx', 'de-ZZ', 'und', 'de-u-co-phonebk', '<!channel>']) {
      expect(applySettings(base, ['size', '3', 'lang', word])).toMatch(/is not a language like de, ja, pt-BR or German\.$/);
    }
    expect(applySettings(base, ['lang'])).toBe('Nothing is not a language like de, ja, pt-BR or German.');
  });

  it('the prompt files ask for the language by name', () => {
    const prompts = loadPrompts(DEFAULT_PROMPTS_DIR);
    expect(prompts.system).toContain('{{language}}');
    expect(prompts.userTemplate).toContain('{{language}}');
  });
});

describe.each(EACH_BACKEND)('summaries per channel language on %s', (_, backend) => {
  const open = useBackend(backend);
  let llm: FakeOpenAI;
  beforeEach(async () => {
    llm = await startFakeOpenAI({ reply: answerInAskedLanguage });
  });
  afterEach(async () => {
    expect(llm.unknownRoutes).toEqual([]);
    await llm.close();
  });

  function deps(store: Store, publisher: ThreadPublisher): ScheduleDeps {
    const clock = () => new Date(`${DAY}T10:00:00Z`);
    const config = parseConfig({ OPENAI_API_KEY: FAKE_API_KEY, OPENAI_BASE_URL: llm.baseURL, OPENAI_MODEL: 'fake-mini' });
    const summariser = createSummariser({ config, cache: store, clock, maxRetries: 0 });
    return { store, summariser, publishers: new Map<string, ChannelPublisher>([['slack', publisher]]), clock, logger: silentLogger };
  }

  it('asks the LLM in German for a `lang de` channel, and caches per language: de + en → two calls, de + de → one', async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    await store.saveDay(DAY, listingsFor(DAY, [paper({ id: '2605.01234' })]), new Date(`${DAY}T08:00:00Z`));
    const channels: ChannelSettings[] = [
      { ...base, channel: slack('C0LANGDE01'), language: 'de' },
      { ...base, channel: slack('C0LANGEN01') },
      { ...base, channel: slack('C0LANGDE02'), language: 'de' },
    ];
    for (const settings of channels) await store.saveChannelSettings(settings);

    const results = await runDailyDigests(deps(store, publisher), channels, new Date(`${DAY}T10:00:00Z`));
    expect(results.map((r) => ('outcome' in r ? r.outcome.status : r.error.code))).toEqual(['delivered', 'delivered', 'delivered']);
    const calls = llm.chatRequests();
    expect(calls).toHaveLength(2);
    const german = calls.filter((call) => systemOf(call).includes('Write the values in German'));
    const english = calls.filter((call) => systemOf(call).includes('Write the values in English'));
    expect([german.length, english.length]).toEqual([1, 1]);
    expect(userOf(german[0]!)).toContain('its values written in German');

    const key = { paperId: '2605.01234', model: 'fake-mini', promptHash: loadPrompts().hash };
    expect((await store.getSummary({ ...key, language: 'de' }))?.tldr).toBe('Eine Methode, die funktioniert.');
    expect((await store.getSummary({ ...key, language: 'en' }))?.tldr).toBe('A method that works.');

    // A restarted process (a new summariser, the same store) serves both from the cache.
    const again = deps(store, publisher.restarted());
    expect((await again.summariser.summarise(paper({ id: '2605.01234' }), LOCAL_WORKSPACE, 'de')).tldr).toBe('Eine Methode, die funktioniert.');
    expect(await again.summariser.needsLlmCall(paper({ id: '2605.01234' }), LOCAL_WORKSPACE, 'de')).toBe(false);
    expect(await again.summariser.needsLlmCall(paper({ id: '2605.01234' }), LOCAL_WORKSPACE, 'ja')).toBe(true);
    expect(llm.chatRequests()).toHaveLength(2);
  });

  it('*Summarise* in a digest thread, and the slow-answer check, use the channel language', async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    const { summariser, clock } = deps(store, publisher);
    const hf = await startFakeHfServer();
    try {
      const ctx: CommandContext = {
        store,
        summariser,
        source: createHuggingFaceSource({ baseUrl: hf.url, maxAttempts: 1, rateLimit: false }),
        defaults: { time: '09:00', timeZone: 'UTC', size: 3 },
        clock,
        logger: silentLogger,
        pageSize: 3,
        commandsPerMinute: 0,
      };
      const channel = slack('C0LANGTHRD');
      await store.saveDay(DAY, listingsFor(DAY, [paper({ id: '2605.01234' })]), new Date(`${DAY}T08:00:00Z`));
      await store.saveChannelSettings({ ...base, channel, language: 'de' });
      // English is cached already; German is not, so the press is known to be slow before any call.
      await summariser.summarise(paper({ id: '2605.01234' }), LOCAL_WORKSPACE);
      const command: Command = {
        platform: 'slack',
        channel,
        userId: 'U0PRESSER',
        workspace: LOCAL_WORKSPACE,
        canAdminister: false,
        input: { kind: 'button', button: { kind: 'summarise', paperId: '2605.01234' }, place: { threadId: '1716000000.000100', privateMessage: false } },
      };
      const plan = await planCommand(ctx, command, publisher);
      expect(plan.slow).toMatch(/^Summarising/);
      expect(await plan.run()).toMatchObject({ text: 'Summary posted in this thread.' });
      expect(llm.chatRequests().map((call) => systemOf(call).includes('Write the values in German'))).toEqual([false, true]);
      expect(hf.requests).toEqual([]);
    } finally {
      await hf.close();
    }
  });

  it("subscription alerts are summarised in the channel's language", async () => {
    const store = open();
    const publisher = new ThreadPublisher('slack');
    const d = deps(store, publisher);
    const channel = slack('C0LANGALRT');
    await store.saveChannelSettings({ ...base, channel, language: 'de' });
    await store.addSubscription(channel, 'sparsemix', 'U0ALERTS1', new Date(`${DAY}T07:00:00Z`));
    await runSubscriptionAlerts(d, new Date(`${DAY}T07:30:00Z`));
    await store.saveDay(DAY, listingsFor(DAY, [paper({ id: '2605.04321' })]), new Date(`${DAY}T08:00:00Z`));
    expect(await runSubscriptionAlerts(d, new Date(`${DAY}T10:00:00Z`))).toBe(1);
    expect(publisher.items.map((item) => item.paperId)).toEqual(['2605.04321']);
    expect(llm.chatRequests().map((call) => systemOf(call).includes('Write the values in German'))).toEqual([true]);
  });
});

describe('summary language in chat', () => {
  let llm: FakeOpenAI | undefined;
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
  });

  it('Slack: `settings lang de` is shown, and `summary` answers in German from the LLM', async () => {
    llm = await startFakeOpenAI({ reply: answerInAskedLanguage });
    const h = await startSlack({ llm });
    try {
      await h.seedDay(DAY, [paper({ id: '2605.01234' })]);
      const channel = 'C0LANGCHAT';
      const refused = await h.slack.command(h.endpoint, { text: 'settings size 4 lang elvish', channel });
      expect(refused.body).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(refused.body)).toContain('is not a language like de, ja, pt-BR or German');
      expect(await h.store.getChannelSettings(slack(channel))).toBeNull();

      const saved = await h.slack.command(h.endpoint, { text: 'settings lang German', channel });
      expect(JSON.stringify(saved.body)).toContain('LLM summaries in German (de)');
      expect(await h.store.getChannelSettings(slack(channel))).toMatchObject({ language: 'de' });

      const answer = await h.slack.command(h.endpoint, { text: 'summary 2605.01234', channel });
      await h.adapter.idle();
      const said = JSON.stringify(answer.body) + h.slack.hookPostsFor(answer.hook).map((body) => JSON.stringify(body)).join();
      expect(said).toContain('Eine Methode, die funktioniert.');
      expect(llm.chatRequests().map((call) => systemOf(call).includes('Write the values in German'))).toEqual([true]);

      // Another channel, English by default, gets its own summary.
      const other = await h.slack.command(h.endpoint, { text: 'summary 2605.01234', channel: 'C0LANGOTHR' });
      await h.adapter.idle();
      expect(JSON.stringify(other.body) + h.slack.hookPostsFor(other.hook).map((body) => JSON.stringify(body)).join()).toContain('A method that works.');
      expect(llm.chatRequests()).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it("Slack without an LLM: the summary is HF's English and says so", async () => {
    const h = await startSlack();
    try {
      await h.seedDay(DAY, [paper({ id: '2605.01234' })]);
      await h.slack.command(h.endpoint, { text: 'settings lang ja', channel: 'C0LANGNOLL' });
      const answer = await h.slack.command(h.endpoint, { text: 'summary 2605.01234', channel: 'C0LANGNOLL' });
      expect(JSON.stringify(answer.body)).toContain("Hugging Face's AI summary · in English, not Japanese");
    } finally {
      await h.close();
    }
  });

  it('Discord: `settings lang pt-BR` is saved canonical and shown; a bad one is refused and nothing saved', async () => {
    const h = await startDiscord();
    try {
      const channel = h.discord.addChannel();
      const send = (text: string) => h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, text, { permissions: 1n << 4n }));
      const bad = await send('settings lang zz-top');
      expect(String(bad.body?.data?.content)).toContain('is not a language like de, ja, pt-BR or German');
      expect(await h.store.getChannelSettings({ platform: 'discord', id: channel })).toBeNull();
      const saved = await send('settings lang pt-br');
      expect(String(saved.body?.data?.content)).toContain('LLM summaries in Brazilian Portuguese (pt-BR)');
      expect(await h.store.getChannelSettings({ platform: 'discord', id: channel })).toMatchObject({ language: 'pt-BR' });
      expect(h.discord.unknownRoutes).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
