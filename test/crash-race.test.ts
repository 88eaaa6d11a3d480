import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord-api.js';
import { createRng, intBetween } from '../bench/lib/rng.js';
import { CLI, cliSandbox } from './support/run-cli.js';
import { listingsFor, makePaper } from './support/papers.js';

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
