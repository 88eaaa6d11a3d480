import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from './fakes/discord-api.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { CLI, cliSandbox } from './support/run-cli.js';

/**
 * The bot runs as a real child process (`paperboy start`) against fake Hugging Face and Discord servers, is killed
 * with SIGKILL after k of its n posts, and restarted. The fake's record must then hold the digest complete: one
 * parent, one thread, each paper exactly once.
 */
const PAPERS = 10;
const today = new Date().toISOString().slice(0, 10);

let hf: FakeHfServer | undefined;
let discord: FakeDiscord | undefined;
const children = new Set<ChildProcess>();

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await hf?.close();
  await discord?.close();
});

function startBot(env: Record<string, string>, cwd: string): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'start'], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code, signal) => {
    if (code && code !== 0 && signal === null) console.error(`bot exited ${code}: ${stderr.slice(-2000)}`);
  });
  children.add(child);
  return child;
}

function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 20);
  });
}

function paperIdOf(message: FakeMessage): string | null {
  const match = /arxiv\.org\/abs\/(\d{4}\.\d{4,5})|huggingface\.co\/papers\/(\d{4}\.\d{4,5})/.exec(JSON.stringify(message.body.embeds ?? []));
  return match ? (match[1] ?? match[2] ?? null) : null;
}

describe('crash recovery: SIGKILL mid-digest, restart, exactly once', () => {
  for (const killAfter of [1, 4, 11]) {
    it(`killed after post ${killAfter} of ${PAPERS + 1}`, async () => {
      const entries = Array.from({ length: PAPERS }, (_, i) => makeHfEntry({ id: `2605.${20000 + i}`, title: `Crash-safe paper ${i + 1}`, upvotes: 100 - i, day: today }));
      hf = await startFakeHfServer({ days: { [today]: entries } });
      let kill: (() => void) | null = null;
      let posts = 0;
      discord = await startFakeDiscord({
        routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } },
        // Kill the moment the platform has accepted post k, before the bot hears back: the worst moment.
        onMessage: (message) => {
          if (message.kind !== 'channel' && message.kind !== 'forum-starter') return;
          posts++;
          if (posts === killAfter) kill?.();
        },
      });
      const channelId = discord.addChannel();
      const { cwd, database } = cliSandbox();
      const env = {
        HF_API_URL: hf.url,
        DATABASE_URL: database,
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_PUBLIC_KEY: discord.publicKeyHex,
        DISCORD_API_URL: discord.url.replace(/\/api$/, '/api'),
        DIGEST_CHANNELS: `discord:${channelId}`,
        DIGEST_TIME: '00:00',
        DIGEST_TIMEZONE: 'UTC',
        DIGEST_SIZE: String(PAPERS),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      };

      const first = startBot(env, cwd);
      const killed = new Promise<void>((resolve) => first.once('exit', () => resolve()));
      kill = () => first.kill('SIGKILL');
      await waitFor(() => posts >= killAfter, 30_000, `post ${killAfter}`);
      await killed;
      kill = null;

      const second = startBot(env, cwd);
      await waitFor(() => {
        const parents = discord!.messagesIn(channelId);
        const thread = parents[0]?.threadId;
        return thread ? discord!.messagesIn(thread).length >= PAPERS : false;
      }, 30_000, 'the digest to complete');
      // Give a duplicate, if the bot were going to send one, the time to land.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      second.kill('SIGTERM');

      const parents = discord.messagesIn(channelId);
      expect(parents).toHaveLength(1);
      const threadId = parents[0]!.threadId!;
      const posted = discord.messagesIn(threadId).map(paperIdOf);
      expect(posted).toEqual(entries.map((e) => e.paper.id));
      expect(discord.rejected).toEqual([]);
      expect(discord.unknownRoutes).toEqual([]);
    }, 90_000);
  }
});
