import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ButtonPlace, Command, Reply } from '../src/commands/command.js';
import type { CommandContext } from '../src/commands/context.js';
import { MAX_FOLLOWS_PER_CHANNEL } from '../src/commands/follow.js';
import { handleCommand } from '../src/commands/handle-command.js';
import { parseCommandText } from '../src/commands/parse-command.js';
import { decodeButton, encodeButton } from '../src/commands/buttons.js';
import { followUpdateText } from '../src/follow/follow-update.js';
import { silentLogger } from '../src/logger.js';
import { NO_ARTIFACTS } from '../src/papers/artifacts.js';
import { createHuggingFaceSource, type HuggingFaceSource } from '../src/papers/huggingface.js';
import { runFollowWatch, type FollowWatchDeps } from '../src/schedule/follow-watch.js';
import type { Store } from '../src/store/store.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';
import { ThreadPublisher } from './support/thread-publisher.js';

const channel = { platform: 'slack' as const, id: 'C0FOLLOW1' };
const other = { platform: 'slack' as const, id: 'C0FOLLOW2' };
const PAPER = '2605.15320';
const DIGEST_THREAD = '1779000000.000100';
const start = new Date('2026-05-18T12:00:00Z');
const hours = (n: number) => new Date(start.getTime() + n * 3_600_000);

let hf: FakeHfServer;
let source: HuggingFaceSource;

beforeAll(async () => {
  hf = await startFakeHfServer();
  source = createHuggingFaceSource({ baseUrl: hf.url, maxAttempts: 1, rateLimit: false, interactive: { rateLimit: { burst: 1000, perSecond: 1000 } } });
});
afterAll(async () => {
  expect(hf.unknownRoutes).toEqual([]);
  await source.close();
  await hf.close();
});

/** A fresh paper on the fake HF per test (ids differ, so tests never see each other's repos). */
let serial = 0;
function freshPaper(extra: { githubRepo?: string } = {}): string {
  const id = `2605.${String(20000 + ++serial)}`;
  hf.addPapers([makeHfEntry({ id, title: `Followed paper ${serial}`, ...extra }).paper]);
  return id;
}

describe('follow commands', () => {
  it('parses follow, unfollow and following as verbs, and the button round-trips', () => {
    expect(parseCommandText(`follow https://huggingface.co/papers/${PAPER}`)).toEqual({ verb: 'follow', args: `https://huggingface.co/papers/${PAPER}` });
    expect(parseCommandText('unfollow all')).toEqual({ verb: 'unfollow', args: 'all' });
    expect(parseCommandText('following')).toEqual({ verb: 'following', args: '' });
    const value = encodeButton({ kind: 'follow', paperId: PAPER }, 100);
    expect(value).toBe(`fol:${PAPER}`);
    expect(decodeButton(value, 100)).toEqual({ kind: 'follow', paperId: PAPER });
    expect(decodeButton('fol:not-a-paper', 100)).toEqual({ kind: 'unknown' });
  });

  describe.each(EACH_BACKEND)('%s', (_, backend) => {
    const open = useBackend(backend);
    let store: Store;
    let ctx: CommandContext;
    const publisher = new ThreadPublisher('slack');

    beforeEach(() => {
      store = open();
      ctx = {
        store,
        summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock: () => start }),
        source,
        defaults: { time: '09:00', timeZone: 'UTC', size: 5 },
        clock: () => start,
        logger: silentLogger,
        pageSize: 5,
        commandsPerMinute: 0,
      };
    });

    const workspace = { platform: 'slack', id: 'T0123ABCD' };
    const run = (text: string, extra: Partial<Command> = {}) => handleCommand(ctx, { platform: 'slack', channel, userId: 'U0ADMIN01', workspace, canAdminister: true, input: { kind: 'text', text }, ...extra }, publisher);
    const press = (paperId: string, place: ButtonPlace, canAdminister = true) =>
      handleCommand(ctx, { platform: 'slack', channel, userId: 'U0ADMIN01', workspace, canAdminister, input: { kind: 'button', button: { kind: 'follow', paperId }, place } }, publisher);
    const text = (reply: Reply) => (reply.type === 'message' ? reply.text : reply.type);

    it('follows by id or link, privately, with what is already out as the baseline; a second follow changes nothing', async () => {
      const id = freshPaper({ githubRepo: 'https://github.com/acme/already' });
      hf.addRepos('models', [{ id: 'acme/base-model', arxiv: [id] }]);
      const reply = await run(`follow https://arxiv.org/abs/${id}v2`);
      expect(reply).toMatchObject({ type: 'message', visibility: 'private', tone: 'success' });
      expect(text(reply)).toContain(`Following “Followed paper ${serial}” (${id}) — you'll get a reply in this channel when code, models or datasets appear`);
      expect(text(reply)).toContain('Already out: code, 1 model.');
      const [follow] = await store.listFollows(channel);
      expect(follow).toMatchObject({ paperId: id, replyTo: null, followedBy: 'U0ADMIN01', announced: { githubRepo: 'https://github.com/acme/already', models: ['acme/base-model'], datasets: [] }, version: 0 });
      expect(text(await run(`follow ${id}`))).toContain('already follows');
      expect(await store.listFollows(channel)).toHaveLength(1);
      expect(text(await run('following'))).toMatch(new RegExp(`This channel follows 1 paper:\\n• ${id} “Followed paper \\d+” — watched until 2026-08-16; out so far: code, 1 model`));
    });

    it('refuses bad input, unknown papers and non-admins in private, changing nothing', async () => {
      for (const [input, pattern] of [
        ['follow', /Follow which paper\?/],
        ['follow not-a-paper', /“not-a-paper” is not an arXiv id or paper link/],
        ['follow 2605.99999', /Hugging Face has no paper 2605\.99999/],
        ['unfollow', /Unfollow which paper\?/],
        ['unfollow 2605.88888', /doesn't follow 2605\.88888/],
      ] as const) {
        const reply = await run(input);
        expect(reply).toMatchObject({ type: 'message', visibility: 'private', tone: 'error' });
        expect(text(reply)).toMatch(pattern);
      }
      const id = freshPaper();
      expect(text(await run(`follow ${id}`, { canAdminister: false }))).toMatch(/Only people who can manage this channel/);
      expect(text(await press(id, { threadId: DIGEST_THREAD, privateMessage: false }, false))).toMatch(/Only people who can manage this channel/);
      expect(text(await run('unfollow all', { canAdminister: false }))).toMatch(/Only people who can manage this channel/);
      expect(await store.listFollows(channel)).toEqual([]);
    });

    it('says when Hugging Face cannot be reached, and follows nothing', async () => {
      const id = freshPaper();
      hf.fail({ kind: 'status', status: 503 }, { path: '/api/models' });
      const reply = await run(`follow ${id}`);
      expect(reply).toMatchObject({ tone: 'error', reason: 'unavailable' });
      expect(text(reply)).toContain("Couldn't reach Hugging Face");
      expect(await store.listFollows(channel)).toEqual([]);
    });

    it('replies go under the paper’s digest post when the ledger has one, or the thread the button was pressed in', async () => {
      const fromDigest = freshPaper();
      await store.acquireDelivery(channel, 'daily:2026-05-18', 'test', start, hours(1));
      await store.recordParent(channel, 'daily:2026-05-18', DIGEST_THREAD, null);
      await store.recordPosted(channel, 'daily:2026-05-18', fromDigest, '1779000000.000200', start);
      expect(await store.lastPostOf(channel, fromDigest)).toEqual({ id: DIGEST_THREAD, threadId: null });
      expect(await store.lastPostOf(other, fromDigest)).toBeNull();
      expect(text(await run(`follow ${fromDigest}`))).toContain('a reply in this paper’s thread');

      const fromButton = freshPaper();
      const pressed = await press(fromButton, { threadId: '1779000000.000900', privateMessage: false });
      expect(pressed).toMatchObject({ visibility: 'private', tone: 'success' });
      // From a search result only the presser saw: no thread there; the ledger has no post either.
      const fromSearch = freshPaper();
      await press(fromSearch, { threadId: '1779000000.000950', privateMessage: true });
      const replyTo = Object.fromEntries((await store.listFollows(channel)).map((f) => [f.paperId, f.replyTo]));
      expect(replyTo).toEqual({ [fromDigest]: { id: DIGEST_THREAD, threadId: null }, [fromButton]: { id: '1779000000.000900', threadId: null }, [fromSearch]: null });
    });

    it(`limits a channel to ${MAX_FOLLOWS_PER_CHANNEL} follows; unfollow frees a place; unfollow all clears them`, async () => {
      for (let i = 0; i < MAX_FOLLOWS_PER_CHANNEL; i++) {
        await store.addFollow({ channel, paperId: `2601.${String(10000 + i)}`, replyTo: null, followedBy: 'U1', at: start, announced: NO_ARTIFACTS });
      }
      // 50 follows still list in one chat message: ids and end days, without titles.
      const listed = text(await run('following'));
      expect(listed).toContain('This channel follows 50 papers:\n• 2601.10000 (until 2026-08-16)\n• 2601.10001 (until 2026-08-16)\n');
      expect(listed.length).toBeLessThan(2000);
      const id = freshPaper();
      const refused = await run(`follow ${id}`);
      expect(refused).toMatchObject({ tone: 'error' });
      expect(text(refused)).toContain(`already follows ${MAX_FOLLOWS_PER_CHANNEL} papers`);
      expect(text(await run('unfollow 2601.10000'))).toBe('Stopped following 2601.10000 in this channel.');
      expect(await run(`follow ${id}`)).toMatchObject({ tone: 'success' });
      expect(text(await run('unfollow all'))).toBe(`Stopped following ${MAX_FOLLOWS_PER_CHANNEL} papers in this channel.`);
      expect(text(await run('following'))).toMatch(/^This channel follows no papers/);
    });
  });
});

describe.each(EACH_BACKEND)('follow store and watcher on %s', (_, backend) => {
  const open = useBackend(backend);
  let store: Store;
  let publisher: ThreadPublisher;
  let deps: FollowWatchDeps;

  beforeEach(() => {
    store = open();
    publisher = new ThreadPublisher('slack');
    deps = {
      store,
      summariser: createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock: () => start }),
      publishers: new Map([['slack', publisher]]),
      clock: () => start,
      logger: silentLogger,
      source,
    };
  });

  const follow = (paperId: string, where = channel, replyTo: { id: string; threadId: string | null } | null = { id: DIGEST_THREAD, threadId: null }, at = start) =>
    store.addFollow({ channel: where, paperId, replyTo, followedBy: 'U0ADMIN01', at, announced: NO_ARTIFACTS });

  it('keeps one follow per channel and paper, lists, claims once per version and removes', async () => {
    expect((await follow(PAPER)).created).toBe(true);
    expect((await follow(PAPER)).created).toBe(false);
    await follow(PAPER, other, null);
    expect((await store.listFollows(channel)).map((f) => f.paperId)).toEqual([PAPER]);
    const announced = { githubRepo: 'https://github.com/acme/x', models: ['acme/m'], datasets: [] };
    const results = await Promise.all([store.claimAnnouncement(channel, PAPER, 0, announced), store.claimAnnouncement(channel, PAPER, 0, announced)]);
    expect(results.sort()).toEqual([false, true]);
    expect((await store.listFollows(channel))[0]).toMatchObject({ version: 1, announced });
    expect(await store.claimAnnouncement(channel, '2605.00404', 0, announced)).toBe(false);
    expect(await store.removeFollows(other, { paperId: PAPER })).toBe(1);
    expect(await store.listFollows(other)).toEqual([]);
  });

  it('posts nothing while nothing appears, then exactly one reply in the paper’s thread; a rerun posts nothing more', async () => {
    const id = freshPaper();
    await follow(id);
    expect(await runFollowWatch(deps, hours(1))).toBe(0);
    expect(publisher.followUpdates).toEqual([]);

    hf.addPapers([makeHfEntry({ id, title: `Followed paper ${serial}`, githubRepo: 'https://github.com/acme/released' }).paper]);
    hf.addRepos('models', [{ id: 'acme/released-7b', arxiv: [id] }, { id: 'acme/released-7b-gguf', arxiv: [id] }]);
    hf.addRepos('datasets', [{ id: 'acme/released-data', arxiv: [id] }]);
    expect(await runFollowWatch(deps, hours(2))).toBe(1);
    expect(publisher.followUpdates).toHaveLength(1);
    const [posted] = publisher.followUpdates;
    expect(posted).toMatchObject({ channel: 'slack:C0FOLLOW1', replyTo: { id: DIGEST_THREAD, threadId: null } });
    expect(followUpdateText(posted!.update)).toBe('Code is out: https://github.com/acme/released · Models: acme/released-7b, acme/released-7b-gguf · Datasets: acme/released-data');

    expect(await runFollowWatch(deps, hours(3))).toBe(0);
    expect(publisher.followUpdates).toHaveLength(1);

    // Only what is new next time.
    hf.addRepos('models', [{ id: 'acme/released-13b', arxiv: [id] }]);
    expect(await runFollowWatch(deps, hours(4))).toBe(1);
    expect(followUpdateText(publisher.followUpdates[1]!.update)).toBe('Models: acme/released-13b');
  });

  it('two replicas checking at once post one reply; each following channel gets its own', async () => {
    const id = freshPaper();
    await follow(id);
    await follow(id, other, null);
    hf.addRepos('datasets', [{ id: 'acme/race-data', arxiv: [id] }]);
    const replica = { ...deps, publishers: new Map([['slack', publisher.restarted()]]) };
    const [a, b] = await Promise.all([runFollowWatch(deps, hours(1)), runFollowWatch(replica, hours(1))]);
    expect(a + b).toBe(2);
    expect(publisher.followUpdates.map((u) => [u.channel, u.replyTo?.id ?? null]).sort()).toEqual([
      ['slack:C0FOLLOW1', DIGEST_THREAD],
      ['slack:C0FOLLOW2', null],
    ]);
    // Both channels' follows share one lookup per round and paper.
    expect(hf.requests.filter((r) => r.path === '/api/models' && r.query.filter === `arxiv:${id}`)).toHaveLength(2);
  });

  it('a failed post is tried again next round; a gone channel ends its follow quietly', async () => {
    const id = freshPaper();
    await follow(id);
    await follow(id, other);
    hf.addRepos('models', [{ id: 'acme/retry-model', arxiv: [id] }]);
    const flaky = new ThreadPublisher('slack');
    flaky.unavailable.add('slack:C0FOLLOW2');
    let failNext = true;
    const failing = Object.assign(Object.create(flaky) as ThreadPublisher, {
      postFollowUpdate: async (...args: Parameters<ThreadPublisher['postFollowUpdate']>) => {
        if (args[0].id === channel.id && failNext) {
          failNext = false;
          throw new Error('socket hang up');
        }
        return flaky.postFollowUpdate(...args);
      },
    });
    const withFlaky = { ...deps, publishers: new Map([['slack', failing]]) };
    expect(await runFollowWatch(withFlaky, hours(1))).toBe(0);
    expect(await store.listFollows(other)).toEqual([]);
    expect(await runFollowWatch(withFlaky, hours(2))).toBe(1);
    expect(flaky.followUpdates.map((u) => u.channel)).toEqual(['slack:C0FOLLOW1']);
    expect(await runFollowWatch(withFlaky, hours(3))).toBe(0);
  });

  it('an answer from HF in the wrong shape posts nothing and is asked again next round', async () => {
    const id = freshPaper();
    await follow(id);
    hf.addRepos('models', [{ id: 'acme/shape-model', arxiv: [id] }]);
    hf.fail({ kind: 'json', body: [{ modelId: 'acme/shape-model' }] }, { path: '/api/models' });
    expect(await runFollowWatch(deps, hours(1))).toBe(0);
    expect(publisher.followUpdates).toEqual([]);
    expect((await store.listFollows(channel))[0]).toMatchObject({ version: 0, announced: NO_ARTIFACTS });
    expect(await runFollowWatch(deps, hours(2))).toBe(1);
    expect(followUpdateText(publisher.followUpdates[0]!.update)).toBe('Models: acme/shape-model');
  });

  it('stops watching a paper 90 days after it was followed', async () => {
    const id = freshPaper();
    await follow(id, channel, null, start);
    hf.addRepos('models', [{ id: 'acme/too-late', arxiv: [id] }]);
    const later = new Date(start.getTime() + 91 * 86_400_000);
    const before = hf.requests.length;
    expect(await runFollowWatch(deps, later)).toBe(0);
    expect(publisher.followUpdates).toEqual([]);
    expect(await store.listFollows(channel)).toEqual([]);
    expect(hf.requests.length).toBe(before);
  });

  it('asks HF for the citing repositories the way the Hub lists them', async () => {
    const id = freshPaper();
    await follow(id);
    await runFollowWatch(deps, hours(1));
    const asked = hf.requests.filter((r) => r.query.filter === `arxiv:${id}`).map((r) => [r.path, r.query.limit]);
    expect(asked.sort()).toEqual([
      ['/api/datasets', '100'],
      ['/api/models', '100'],
    ]);
    expect(await store.getPaper(id)).toMatchObject({ id, title: `Followed paper ${serial}` });
  });
});
