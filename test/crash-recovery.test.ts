import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from './fakes/discord-api.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { startFakeSlack } from './fakes/slack-api.js';
import { startBot, type RunningBot } from './support/run-bot.js';
import { cliSandbox } from './support/run-cli.js';

/**
 * The bot runs as a real child process (`paperboy start`) against fake Hugging Face and platform servers, is killed
 * with SIGKILL after k of its n posts, and restarted. The fake's record must then hold the digest complete: one
 * parent, one thread, each paper exactly once.
 */
const PAPERS = 10;
const today = new Date().toISOString().slice(0, 10);

let hf: FakeHfServer | undefined;
const bots: RunningBot[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) bot.kill();
  await hf?.close();
});

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

function digestCompleted(database: string): boolean {
  try {
    const db = new Database(database, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT completed_at FROM deliveries WHERE key LIKE 'daily:%'").get() as { completed_at: string | null } | undefined;
      return Boolean(row?.completed_at);
    } finally {
      db.close();
    }
  } catch {
    return false; // not created yet, or mid-migration
  }
}

/** The arXiv id a posted message is about, read from its links. */
function paperIdOf(body: unknown): string | null {
  const match = /arxiv\.org\/abs\/(\d{4}\.\d{4,5})|huggingface\.co\/papers\/(\d{4}\.\d{4,5})/.exec(JSON.stringify(body ?? []));
  return match ? (match[1] ?? match[2] ?? null) : null;
}

interface Platform {
  env: Record<string, string>;
  /** Top-level messages in the digest channel, and the paper ids posted in the first one's thread. */
  record(): { parents: number; papers: (string | null)[]; rejected: unknown[] };
  close(): Promise<void>;
}

type PlatformFactory = (onPost: () => void) => Promise<Platform>;

const platforms: Record<string, PlatformFactory> = {
  discord: async (onPost) => {
    const fake = await startFakeDiscord({
      routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } },
      onMessage: (message) => {
        if (message.kind === 'channel' || message.kind === 'forum-starter') onPost();
      },
    });
    const channelId = fake.addChannel();
    return {
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_PUBLIC_KEY: fake.publicKeyHex,
        DISCORD_API_URL: fake.url,
        DIGEST_CHANNELS: `discord:${channelId}`,
      },
      record() {
        const parents = fake.messagesIn(channelId);
        const thread = parents[0]?.threadId;
        return { parents: parents.length, papers: thread ? fake.messagesIn(thread).map((m) => paperIdOf(m.body.embeds)) : [], rejected: [...fake.rejected, ...fake.unknownRoutes] };
      },
      close: () => fake.close(),
    };
  },
  slack: async (onPost) => {
    const fake = await startFakeSlack({ postIntervalMs: 20, onMessage: () => onPost() });
    const channelId = 'C0CRASH01';
    return {
      // The fake enforces a post per channel every 20 ms (rejecting faster ones); the bot paces to match.
      env: { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: fake.signingSecret, SLACK_API_URL: fake.apiUrl, SLACK_POST_INTERVAL_MS: '20', DIGEST_CHANNELS: `slack:${channelId}` },
      record() {
        const parents = fake.topLevel(channelId);
        const papers = parents[0] ? fake.replies(channelId, parents[0].ts).map((m) => paperIdOf(m.body)) : [];
        return { parents: parents.length, papers, rejected: [...fake.rejected, ...fake.unknownMethods] };
      },
      close: () => fake.close(),
    };
  },
};

const running: Platform[] = [];
afterEach(async () => {
  for (const platform of running.splice(0)) await platform.close();
});

describe.each(Object.entries(platforms))('crash recovery on %s: SIGKILL mid-digest, restart, exactly once', (_name, startPlatform) => {
  for (const killAfter of [1, 4, 11]) {
    it(`killed the moment post ${killAfter} of ${PAPERS + 1} lands`, async () => {
      const entries = Array.from({ length: PAPERS }, (_, i) => makeHfEntry({ id: `2605.${20000 + i}`, title: `Crash-safe paper ${i + 1}`, upvotes: 100 - i, day: today }));
      hf = await startFakeHfServer({ days: { [today]: entries } });
      let kill: (() => void) | null = null;
      let posts = 0;
      // Kill the moment the platform has accepted post k, before the bot hears back: the worst moment.
      const platform = await startPlatform(() => {
        posts++;
        if (posts === killAfter) kill?.();
      });
      running.push(platform);
      const { cwd, database } = cliSandbox();
      const env = {
        ...platform.env,
        HF_API_URL: hf.url,
        DATABASE_URL: database,
        DIGEST_TIME: '00:00',
        DIGEST_TIMEZONE: 'UTC',
        DIGEST_SIZE: String(PAPERS),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // The killed process's claim holds for a second before the restarted one may take it over.
        DELIVERY_LEASE_SECONDS: '1',
      };

      const first = startBot(env, cwd);
      bots.push(first);
      kill = () => first.kill('SIGKILL');
      await waitFor(() => posts >= killAfter, 30_000, `post ${killAfter}`);
      await first.exited;
      kill = null;

      const second = startBot(env, cwd);
      bots.push(second);
      // Done when the restarted bot's ledger says so (not when the platform shows 10 papers: that can already be
      // true before the restart, and a duplicate would come after).
      await waitFor(() => digestCompleted(database), 40_000, 'the ledger to mark the digest delivered').catch((error: Error) => {
        throw new Error(`${error.message}; the restarted bot's stderr:\n${second.stderr().slice(-2000)}`);
      });
      second.kill('SIGTERM');

      const record = platform.record();
      expect(record.parents).toBe(1);
      expect(record.papers).toEqual(entries.map((e) => e.paper.id));
      expect(record.rejected).toEqual([]);
    }, 90_000);
  }
});
