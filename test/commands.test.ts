import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ButtonPlace, ButtonPress, Command, Reply } from '../src/commands/command.js';
import { planCommand } from '../src/commands/plan-command.js';
import { queryRef } from '../src/commands/buttons.js';
import { ThreadPublisher } from './support/thread-publisher.js';
import type { CommandContext } from '../src/commands/context.js';
import { handleCommand } from '../src/commands/handle-command.js';
import { parseCommandText } from '../src/commands/parse-command.js';
import { remoteQueryText } from '../src/commands/search.js';
import { silentLogger } from '../src/logger.js';
import { createHuggingFaceSource } from '../src/papers/huggingface.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { listingsFor, makePaper } from './support/papers.js';

const channel = { platform: 'slack' as const, id: 'C0123ABCD' };
const workspace = { platform: 'slack', id: 'T0123ABCD' };
let hf: FakeHfServer;
let store: SqliteStore;
let ctx: CommandContext;
let settingsChanged: unknown[];
let publisher: ThreadPublisher;

beforeAll(async () => {
  hf = await startFakeHfServer({
    papers: [
      makeHfEntry({ id: '2405.15071', title: 'Grokked Transformers are Implicit Reasoners', summary: 'Transformers learn to reason implicitly through grokking.', aiSummary: 'Grokked transformers reason implicitly.' }).paper,
      makeHfEntry({ id: '2405.99999', title: 'A Survey of Grokking', summary: 'A survey of grokking.' }).paper,
    ],
  });
});
afterAll(() => hf.close());

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  const clock = () => new Date('2026-05-18T12:00:00Z');
  settingsChanged = [];
  publisher = new ThreadPublisher('slack');
  ctx = {
    store,
    summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock }),
    source: createHuggingFaceSource({ baseUrl: hf.url, maxAttempts: 1, rateLimit: false }),
    defaults: { time: '09:00', timeZone: 'UTC', size: 2 },
    clock,
    logger: silentLogger,
    pageSize: 2,
    // The handlers, under a frozen clock; the per-person limit has its own tests (security.test.ts).
    commandsPerMinute: 0,
    onSettingsChanged: (settings) => settingsChanged.push(settings),
  };
  await store.saveDay(
    '2026-05-18',
    listingsFor('2026-05-18', [
      makePaper({ id: '2605.00001', title: 'Grokking at the Edge of Numerical Stability', upvotes: 90 }),
      makePaper({ id: '2605.00002', title: 'Sparse Attention for In-Context Learning', upvotes: 50 }),
      makePaper({ id: '2605.00003', title: 'Diffusion Everywhere', upvotes: 10, abstract: 'A study of grokking in diffusion.' }),
    ]),
    new Date('2026-05-18T08:00:00Z'),
  );
});

function run(text: string, extra: Partial<Command> = {}): Promise<Reply> {
  return handleCommand(ctx, { platform: 'slack', channel, userId: 'U1', workspace, canAdminister: true, input: { kind: 'text', text }, ...extra }, publisher);
}

function press(button: ButtonPress, place: ButtonPlace = { threadId: '1716000000.000100', privateMessage: false }, userId = 'U1'): Promise<Reply> {
  return handleCommand(ctx, { platform: 'slack', channel, userId, workspace, canAdminister: true, input: { kind: 'button', button, place } }, publisher);
}

function expectError(reply: Reply, pattern: RegExp): void {
  expect(reply).toMatchObject({ type: 'message', tone: 'error', visibility: 'private' });
  expect((reply as { text: string }).text).toMatch(pattern);
}

describe('command grammar', () => {
  it('picks a verb or falls back to search; empty is help', () => {
    expect(parseCommandText('')).toEqual({ verb: 'help', args: '' });
    expect(parseCommandText('grokking')).toEqual({ verb: 'search', args: 'grokking' });
    expect(parseCommandText('search  grokking ')).toEqual({ verb: 'search', args: 'grokking' });
    expect(parseCommandText('SUBSCRIBE "in-context learning" -survey')).toEqual({ verb: 'subscribe', args: '"in-context learning" -survey' });
    expect(parseCommandText('summary https://arxiv.org/abs/2605.15320')).toEqual({ verb: 'summary', args: 'https://arxiv.org/abs/2605.15320' });
  });

  it('sends HF only the positive words', () => {
    expect(remoteQueryText('"in-context learning" -survey author:"Yann LeCun" a OR b NOT c')).toBe('in-context learning a b');
  });
});

describe('handleCommand', () => {
  it('searches the local index privately, pages, and fills up from HF search without duplicates', async () => {
    ctx.pageSize = 3;
    const first = await run('grokking');
    expect(first).toMatchObject({ type: 'papers', visibility: 'private', offset: 0, nextOffset: null, includesRemote: true });
    const ids = (first as Extract<Reply, { type: 'papers' }>).cards.map((c) => c.paper.id);
    expect(ids.slice(0, 2)).toEqual(['2605.00001', '2605.00003']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);

    // HF's papers were saved, so now the local index pages through all four, one at a time, without repeats.
    ctx.pageSize = 1;
    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = (offset === 0 ? await run('grokking') : await press({ kind: 'more', offset, query: 'grokking' })) as Extract<Reply, { type: 'papers' }>;
      seen.push(...page.cards.map((c) => c.paper.id));
      offset = page.nextOffset;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(new Set([...ids, '2405.99999']));
    expect(seen[0]).toBe('2605.00001');
  });

  it('honours exclusions in HF results and saves what HF returned', async () => {
    ctx.pageSize = 5;
    const reply = (await run('grokking -survey')) as Extract<Reply, { type: 'papers' }>;
    expect(reply.cards.map((c) => c.paper.id)).toEqual(['2605.00001', '2605.00003', '2405.15071']);
    expect(await store.getPaper('2405.15071')).not.toBeNull();
  });

  it('answers from the local index when HF is down', async () => {
    ctx.source = createHuggingFaceSource({ baseUrl: 'http://127.0.0.1:9', maxAttempts: 1, rateLimit: false });
    ctx.pageSize = 5;
    const reply = (await run('grokking')) as Extract<Reply, { type: 'papers' }>;
    expect(reply.cards.map((c) => c.paper.id)).toEqual(['2605.00001', '2605.00003']);
  });

  it('gives a short usage reply for bad queries and never throws', async () => {
    expectError(await run('"unbalanced'), /quote/i);
    expectError(await run('-only -exclusions'), /exclu/i);
    expectError(await run('x'.repeat(10_000)), /too long/);
    const nothing = await run('zebrafish');
    expect(nothing).toMatchObject({ type: 'message', tone: 'info' });
  });

  it('subscribes, lists and unsubscribes by id, query and all', async () => {
    const added = await run('subscribe "in-context learning"   -survey');
    expect(added).toMatchObject({ type: 'message', tone: 'success', visibility: 'channel' });
    expect(await run('subscribe "in-context learning" -survey')).toMatchObject({ tone: 'success', visibility: 'private' });
    await run('subscribe grokking');
    const list = (await run('subscriptions')) as Extract<Reply, { type: 'subscriptions' }>;
    expect(list.subscriptions.map((s) => s.query)).toEqual(['"in-context learning" -survey', 'grokking']);
    expect(await run(`unsubscribe ${list.subscriptions[0]!.id}`)).toMatchObject({ tone: 'success' });
    expect(await run('unsubscribe grokking')).toMatchObject({ tone: 'success' });
    expectError(await run('unsubscribe grokking'), /No subscription/);
    await run('subscribe a');
    await run('subscribe b');
    expect(await run('unsubscribe all')).toMatchObject({ tone: 'success', text: expect.stringContaining('2') });
    expectError(await run('subscribe "broken'), /quote/i);
  });

  it('refuses channel changes to people who may not administer it, changing nothing', async () => {
    for (const text of ['subscribe grokking', 'unsubscribe all', 'settings time 08:00']) {
      expectError(await run(text, { canAdminister: false }), /manage this channel/);
    }
    expect(await store.listSubscriptions(channel)).toEqual([]);
    expect(await store.getChannelSettings(channel)).toBeNull();
    // Reading is for everyone.
    expect(await run('settings', { canAdminister: false })).toMatchObject({ type: 'settings', changed: false });
  });

  it('changes settings all or nothing and tells the scheduler', async () => {
    const changed = await run('settings time 8:30 tz europe/berlin size 5');
    expect(changed).toMatchObject({ type: 'settings', changed: true, settings: { time: '08:30', timeZone: 'Europe/Berlin', size: 5, paused: false } });
    expect(settingsChanged).toHaveLength(1);
    expectError(await run('settings time 07:00 tz Mars/Base'), /time zone/);
    expectError(await run('settings size 99'), /1 to 25/);
    expectError(await run('settings colour blue'), /Unknown setting/);
    expect(await store.getChannelSettings(channel)).toMatchObject({ time: '08:30', size: 5 });
    expect(await run('settings off')).toMatchObject({ settings: { paused: true } });
    expect(await run('settings on note on')).toMatchObject({ settings: { paused: false, emptyDayNote: true } });
  });

  it('summarises a stored paper, an HF-only paper, and explains bad ids', async () => {
    const local = await run('summary https://huggingface.co/papers/2605.00001');
    expect(local).toMatchObject({ type: 'summary', visibility: 'private', card: { paper: { id: '2605.00001' } }, summary: { source: 'abstract' } });
    const remote = await run('summary arXiv:2405.15071v2');
    expect(remote).toMatchObject({ type: 'summary', summary: { source: 'hf', tldr: 'Grokked transformers reason implicitly.' } });
    expectError(await run('summary not-an-id'), /not an arXiv id/);
    expectError(await run('summary 2401.00001'), /no paper 2401.00001/);
    expectError(await run('summary'), /Which paper/);
  });

  it('posts the digest here once, saying how it went in one wording, and says when there is nothing to post', async () => {
    expect(await run('digest')).toEqual({ type: 'message', visibility: 'private', tone: 'success', text: 'Posted 2 papers of Mon 18 May here.' });
    expect(publisher.parents).toMatchObject([{ channel: 'slack:C0123ABCD', title: 'Trending papers · Mon 18 May', key: 'daily:2026-05-18' }]);
    expect(publisher.papersIn('slack:C0123ABCD')).toEqual(['2605.00001', '2605.00002']);
    expect(await run('digest 2026-05-18')).toMatchObject({ tone: 'info', text: 'The digest for Mon 18 May was already posted here.' });
    expect(publisher.parents).toHaveLength(1);
    expectError(await run('digest yesterday'), /YYYY-MM-DD/);
    expect(await run('digest 2026-05-16')).toMatchObject({ type: 'message', tone: 'info' });
  });

  it('finishes a digest another process started and died in, when both were given `digest` at once', async () => {
    // Two replicas behind one load balancer get the command together: one posts, the other must wait for it,
    // not refuse as if a second digest were asked for within the gap, or a poster's death leaves it half posted.
    const dying = new ThreadPublisher('slack', 2);
    const survivor = dying.restarted();
    const command = (publisherOf: ThreadPublisher, owner: string) =>
      handleCommand({ ...ctx, lease: { owner, ms: 60_000 } }, { platform: 'slack', channel, userId: 'U1', workspace, canAdminister: true, input: { kind: 'text', text: 'digest' } }, publisherOf);
    const [first, second] = await Promise.all([command(dying, 'host:1:a'), command(survivor, 'host:2:b')]);
    expect(first).toMatchObject({ tone: 'error', text: expect.stringContaining('stopped part-way') });
    expect(second).toMatchObject({ tone: 'success', text: 'Posted 1 paper of Mon 18 May here (finished an interrupted digest).' });
    expect(dying.parents).toHaveLength(1);
    expect(dying.papersIn('slack:C0123ABCD')).toEqual(['2605.00001', '2605.00002']);
  });

  it('plans what is slow before any network call: a paper to fetch, a digest to post', async () => {
    const plan = (text: string) => planCommand(ctx, { platform: 'slack', channel, userId: 'U1', workspace, canAdminister: true, input: { kind: 'text', text } }, publisher);
    expect((await plan('summary 2405.15071')).slow).toBe('Looking up 2405.15071 on Hugging Face');
    expect((await plan('summary 2605.00001')).slow).toBeNull(); // stored, and no LLM: the abstract's key sentences
    expect((await plan('digest')).slow).toBe('Posting the digest here');
    expect((await plan('grokking')).slow).toBeNull();
  });

  it('More on a long query works from any process: the query is kept in the store under its hash', async () => {
    const long = `grokking ${'numerical stability of softmax '.repeat(4)}`.trim();
    ctx.pageSize = 1;
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [1, 2, 3].map((i) => makePaper({ id: `2605.0900${i}`, title: long, upvotes: i }))), new Date('2026-05-18T08:00:00Z'));
    const first = await run(long);
    expect(first).toMatchObject({ type: 'papers', nextOffset: 1 });
    // Another process (a fresh context on the same store) gets the press.
    const elsewhere = { ...ctx };
    const page = await handleCommand(elsewhere, { platform: 'slack', channel, userId: 'U1', workspace, canAdminister: true, input: { kind: 'button', button: { kind: 'saved-more', offset: 1, ref: queryRef(long) }, place: { threadId: null, privateMessage: true } } }, publisher);
    expect(page).toMatchObject({ type: 'papers', offset: 1, query: long });
    expectError(await press({ kind: 'saved-more', offset: 1, ref: '0123456789abcdef' }), /expired/);
  });

  it('buttons are commands: Summarise posts in the thread once, Abstract and private Summarise answer only the presser', async () => {
    const thread = { threadId: '1716000000.000100', privateMessage: false };
    expect(await press({ kind: 'summarise', paperId: '2605.00001' }, thread)).toMatchObject({ tone: 'success', text: 'Summary posted in this thread.' });
    expect(publisher.summaries).toMatchObject([{ channel: 'slack:C0123ABCD', thread: '1716000000.000100', paperId: '2605.00001' }]);
    // A second press, by anyone: a private link to the summary already there, nothing posted.
    const again = await press({ kind: 'summarise', paperId: '2605.00001' }, thread, 'U2');
    expect(again).toMatchObject({ type: 'message', visibility: 'private', text: "This paper's summary is already in this thread.", link: { label: 'view it', url: expect.stringContaining('slack:C0123ABCD') } });
    expect(publisher.summaries).toHaveLength(1);
    // Another thread gets its own.
    await press({ kind: 'summarise', paperId: '2605.00001' }, { threadId: '1716000000.000200', privateMessage: false });
    expect(publisher.summaries).toHaveLength(2);
    // On private search results the summary is the presser's alone.
    expect(await press({ kind: 'summarise', paperId: '2605.00002' }, { threadId: null, privateMessage: true })).toMatchObject({ type: 'summary', visibility: 'private', card: { paper: { id: '2605.00002' } } });
    expect(await press({ kind: 'abstract', paperId: '2605.00003' })).toMatchObject({ type: 'abstract', visibility: 'private', card: { paper: { id: '2605.00003' } } });
    expect(publisher.summaries).toHaveLength(2);
    expectError(await press({ kind: 'summarise', paperId: '2401.00001' }), /no paper 2401.00001/);
    expect(publisher.summaries).toHaveLength(2);
    expectError(await press({ kind: 'expired' }), /expired/);
    expectError(await press({ kind: 'unknown' }), /isn't one this version/);
  });

  it('answers help for empty text and help', async () => {
    expect(await run('')).toMatchObject({ type: 'help', visibility: 'private' });
    expect(await run('help')).toMatchObject({ type: 'help' });
  });
});
