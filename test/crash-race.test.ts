import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, intBetween } from '../bench/lib/rng.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord-api.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { startFakeSlack, type FakeSlack } from './fakes/slack-api.js';
import { listingsFor, makePaper } from './support/papers.js';
import { startBot, type RunningBot } from './support/run-bot.js';
import { CLI, cliSandbox, runCli } from './support/run-cli.js';
import { freshSchemaName, POSTGRES_SKIP, TEST_DATABASE_URL } from './support/stores.js';

/**
 * Exactly once when processes race and die: real `paperboy` processes, real fakes, a seeded random kill point per
 * run (printed on failure, so a run reproduces). Two `digest --channel` runs at once on one SQLite file, one of
 * them SIGKILLed mid-digest in every other run: the survivor (or the next run) finishes the digest, each paper once
 * under one parent.
 */
const DAY = '2026-05-18';
const PAPERS = 6;
const RUNS = 10;
const papers = Array.from({ length: PAPERS }, (_, i) => makePaper({ id: `2605.3${String(i).padStart(4, '0')}`, title: `Raced paper ${i + 1}`, upvotes: 100 - i }));

let discord: FakeDiscord;
let onPost: ((channelId: string) => void) | null = null;
const children = new Set<ChildProcess>();

/** `paperboy digest --channel …` as a real process; resolves with its exit code (null when killed). */
function digestRun(env: Record<string, string>, cwd: string, channelId: string): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'digest', '--channel', `discord:${channelId}`, '--date', DAY], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  void done.then(() => children.delete(child));
  return { child, done };
}

/** The channel as Discord holds it: its top-level posts, and the paper ids in the first one's thread. */
function observed(channelId: string): { parents: number; papers: (string | null)[] } {
  const parents = discord.messagesIn(channelId);
  const thread = parents[0]?.threadId;
  const ids = thread ? discord.messagesIn(thread).map((m) => /huggingface\.co\/papers\/(\d{4}\.\d{4,5})/.exec(JSON.stringify(m.body.embeds ?? ''))?.[1] ?? null) : [];
  return { parents: parents.length, papers: ids };
}

describe('two `digest --channel` runs at once on one SQLite file', () => {
  beforeAll(async () => {
    discord = await startFakeDiscord({
      routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } },
      onMessage: (message) => onPost?.(message.channelId),
    });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await discord.close();
  });

  it(`post each paper once under one parent, over ${RUNS} runs, one run killed mid-digest in every other`, async () => {
    const { cwd, database } = cliSandbox();
    const store = openSqliteStore(database);
    await store.saveDay(DAY, listingsFor(DAY, papers), new Date());
    await store.close();
    const env = { DATABASE_URL: database, DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.url, DELIVERY_LEASE_SECONDS: '1' };
    const rng = createRng(20261201);

    for (let run = 1; run <= RUNS; run++) {
      const channelId = discord.addChannel();
      const killAt = run % 2 === 0 ? intBetween(rng, 1, PAPERS + 1) : null;
      const victim = intBetween(rng, 0, 1);
      const runs = [digestRun(env, cwd, channelId), digestRun(env, cwd, channelId)];
      let posts = 0;
      onPost = (id) => {
        if (id !== channelId && discord.messagesIn(channelId)[0]?.threadId !== id) return;
        // The moment post k lands, before its sender hears back (the worst moment), one of the two dies: the
        // poster (the other takes over once its lease runs out) or the one waiting for it (nothing changes).
        if (++posts === killAt) runs[victim]!.child.kill('SIGKILL');
      };
      const results = await Promise.all(runs.map((r) => r.done));
      onPost = null;
      const context = `run ${run}, kill run ${victim} at post ${killAt ?? 'none'}: ${results.map((r) => `exit ${r.code} ${r.stderr.trim()}`).join(' | ')}`;
      expect(results.map((r, i) => (killAt !== null && i === victim && r.code === null ? 'killed' : r.code)), context).toEqual(
        results.map((r, i) => (killAt !== null && i === victim && r.code === null ? 'killed' : 0)),
      );
      expect(observed(channelId), context).toEqual({ parents: 1, papers: papers.map((p) => p.id) });
    }
    expect(discord.rejected).toEqual([]);
  }, 120_000);
});

/**
 * Three `paperboy start` replicas on one PostgreSQL, against the Slack fake. Run 1 is the scheduled digest, which
 * all three find due at start-up; runs 2–10 are `/papers digest` sent to every replica at once. In each run the
 * replica holding the delivery's lease (read from the ledger) is SIGKILLed at a seeded random post, and a fresh
 * replica replaces it; the survivors take the delivery over once the lease runs out.
 */
describe.skipIf(POSTGRES_SKIP !== null)('three `start` replicas on one PostgreSQL', () => {
  const today = new Date().toISOString().slice(0, 10);
  let schema: string;
  let db: pg.Client;
  let hf: FakeHfServer;
  let slack: FakeSlack;
  const bots: RunningBot[] = [];

  beforeAll(async () => {
    schema = freshSchemaName();
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`SET search_path TO ${schema}`);
    hf = await startFakeHfServer({ days: { [today]: papers.map((p) => makeHfEntry({ id: p.id, title: p.title, upvotes: p.upvotes, day: today })) } });
    slack = await startFakeSlack({ postIntervalMs: 20, onMessage: (message) => onSlackPost?.(message.channel) });
  });
  afterAll(async () => {
    for (const bot of bots) bot.kill();
    await Promise.all(bots.map((bot) => bot.exited));
    await Promise.all([hf.close(), slack.close()]);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  let onSlackPost: ((channel: string) => void) | null = null;
  const channelOf = (run: number) => `C0REPLIC${String(run).padStart(2, '0')}`;

  async function completed(channel: string): Promise<boolean> {
    const { rows } = await db.query<{ completed_at: Date | null }>('SELECT completed_at FROM deliveries WHERE channel = $1 AND key = $2', [`slack:${channel}`, `daily:${today}`]);
    return rows[0]?.completed_at != null;
  }

  /** The pid of the process holding the delivery's lease (owners are `host:pid:random/attempt`). */
  async function holderPid(channel: string): Promise<number | null> {
    const { rows } = await db.query<{ owner: string | null }>('SELECT owner FROM deliveries WHERE channel = $1 AND key = $2', [`slack:${channel}`, `daily:${today}`]);
    const pid = Number(rows[0]?.owner?.split(':')[1]);
    return Number.isInteger(pid) ? pid : null;
  }

  it('post each paper once under one parent over 10 runs, the posting replica SIGKILLed mid-digest', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = {
      DATABASE_URL: url.toString(),
      HF_API_URL: hf.url,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_POST_INTERVAL_MS: '20',
      DELIVERY_LEASE_SECONDS: '1',
      DIGEST_TIME: '00:00',
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_SIZE: String(PAPERS),
      DIGEST_CHANNELS: `slack:${channelOf(1)}`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // One user sends `digest` to three replicas every run: 27 commands in well under a minute.
      COMMANDS_PER_MINUTE: '0',
    };
    const { cwd } = cliSandbox();
    // The papers are in the shared store before any replica starts, so all three find the first digest due at once.
    const sync = await runCli(['sync', '--from', today, '--to', today], { cwd, env });
    expect(sync.code, sync.stderr).toBe(0);
    const ready = async (bot: RunningBot) => {
      const adapterReady = bot.waitForStderr('slack adapter ready');
      // The replica spawned after the last run may be stopped before it is ready; that is not a failure.
      adapterReady.catch(() => undefined);
      return { bot, endpoint: `http://127.0.0.1:${await bot.port()}/slack/events`, ready: adapterReady };
    };
    const spawnReplica = () => {
      const bot = startBot(env, cwd);
      bots.push(bot);
      return ready(bot);
    };
    const rng = createRng(1201);
    let live: Awaited<ReturnType<typeof spawnReplica>>[] = await Promise.all([spawnReplica(), spawnReplica(), spawnReplica()]);
    let kills = 0;

    for (let run = 1; run <= RUNS; run++) {
      const channel = channelOf(run);
      const killAt = intBetween(rng, 1, PAPERS + 1);
      let posts = 0;
      let killed: number | null = null;
      onSlackPost = (where) => {
        if (where !== channel || ++posts !== killAt) return;
        void holderPid(channel).then((pid) => {
          const victim = live.find(({ bot }) => bot.child.pid === pid);
          if (!victim) return;
          killed = pid;
          victim.bot.kill('SIGKILL');
        });
      };
      if (run > 1) {
        await Promise.all(live.map(({ ready }) => ready));
        // The same command reaches every replica at once, as users behind a load balancer would send it.
        await Promise.all(live.map(({ endpoint }) => slack.command(endpoint, { text: 'digest', channel })));
      }
      const started = Date.now();
      while (!(await completed(channel))) {
        if (Date.now() - started > 30_000) throw new Error(`run ${run}: the digest never completed; ${bots.map((b) => b.stderr().slice(-500)).join('\n---\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      onSlackPost = null;
      const [parent, ...others] = slack.topLevel(channel);
      const thread = parent ? slack.replies(channel, parent.ts).map((m) => (m.body.metadata as { event_payload?: { paper?: string } } | undefined)?.event_payload?.paper ?? null) : [];
      expect({ parents: 1 + others.length, papers: thread }, `run ${run}, kill at post ${killAt} (pid ${killed ?? 'none'})`).toEqual({ parents: 1, papers: papers.map((p) => p.id) });
      // Keep three: the killed replica is replaced by a fresh one.
      if (killed !== null) kills++;
      if (killed !== null) live = [...live.filter(({ bot }) => bot.child.pid !== killed), await spawnReplica()];
    }
    expect(kills, 'no replica was killed: the test proved nothing').toBeGreaterThan(0);
    expect([...slack.rejected, ...slack.unknownMethods]).toEqual([]);
  }, 180_000);
});
