import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord-api.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { startFakeSlack, type FakeSlack } from './fakes/slack-api.js';
import { startBot, type RunningBot } from './support/run-bot.js';
import { cliSandbox } from './support/run-cli.js';

/**
 * `paperboy start` as an operator runs it: a setting the bot cannot work with ends the process with one line
 * naming it (not a running process with a green /healthz), and what is transient is retried.
 */
let hf: FakeHfServer;
let slack: FakeSlack;
let discord: FakeDiscord;
const bots: RunningBot[] = [];

beforeAll(async () => {
  const today = new Date().toISOString().slice(0, 10);
  hf = await startFakeHfServer({ days: { [today]: [makeHfEntry({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability', day: today })] } });
  slack = await startFakeSlack();
  discord = await startFakeDiscord();
});
afterEach(() => {
  for (const bot of bots.splice(0)) bot.kill();
});
afterAll(async () => {
  await Promise.all([hf.close(), slack.close(), discord.close()]);
});

function run(env: Record<string, string>): RunningBot {
  const { cwd, database } = cliSandbox();
  const bot = startBot({ HF_API_URL: hf.url, DATABASE_URL: database, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, cwd);
  bots.push(bot);
  return bot;
}

const slackEnv = () => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl });
const discordEnv = () => ({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.url });

/**
 * The process ended by itself with exit code 1, and its last line is the one plain-text line an operator reads
 * (anything else on stderr is a structured log line).
 */
async function expectFatal(bot: RunningBot, line: RegExp): Promise<void> {
  expect(await bot.exited).toEqual({ code: 1, signal: null });
  const lines = bot.stderr().trim().split('\n');
  const plain = lines.filter((text) => !text.startsWith('{'));
  expect(plain, bot.stderr()).toEqual([lines.at(-1)]);
  expect(plain[0]).toMatch(line);
}

describe('start-up fails fast, naming the setting', () => {
  it('a Slack bot token that auth.test rejects', async () => {
    await expectFatal(run({ ...slackEnv(), SLACK_BOT_TOKEN: 'xoxb-not-the-token' }), /^paperboy: Slack rejected SLACK_BOT_TOKEN \(auth\.test: invalid_auth\): use the Bot User OAuth Token/);
  });

  it('a Socket Mode app token that apps.connections.open rejects', async () => {
    await expectFatal(run({ ...slackEnv(), SLACK_APP_TOKEN: 'xapp-not-the-token' }), /^paperboy: Slack rejected SLACK_APP_TOKEN \(apps\.connections\.open: invalid_auth\)/);
  });

  it('a Discord token that Discord rejects', async () => {
    await expectFatal(run({ ...discordEnv(), DISCORD_TOKEN: 'not-the-token' }), /^paperboy: Discord rejected DISCORD_TOKEN \(GET \/applications\/@me: 401 Unauthorized\)/);
  });

  it('a gateway URL lookup answered 404 (DISCORD_API_URL is not Discord)', async () => {
    discord.fail('GET /gateway/bot', 404, 10);
    await expectFatal(run(discordEnv()), /^paperboy: DISCORD_API_URL=http:\/\/127\.0\.0\.1:\d+\/api answered HTTP 404 to gateway login/);
  });

  it('a DISCORD_APPLICATION_ID that is not the token\'s application', async () => {
    await expectFatal(run({ ...discordEnv(), DISCORD_APPLICATION_ID: '123456789012345678' }), /^paperboy: DISCORD_APPLICATION_ID=123456789012345678 is not the application of DISCORD_TOKEN/);
  });

  it('a signing secret missing in Slack HTTP mode is bad usage (exit 2)', async () => {
    const bot = run({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.apiUrl });
    expect(await bot.exited).toEqual({ code: 2, signal: null });
    expect(bot.stderr().trim()).toMatch(/^paperboy: SLACK_SIGNING_SECRET is not set/);
  });
});

describe('a started bot reports what works', () => {
  it('retries a transient 503 from Discord, then is ready; /healthz names each adapter and the LLM', async () => {
    discord.fail('GET /applications/@me', 503, 1);
    const bot = run({ ...discordEnv(), DISCORD_PUBLIC_KEY: discord.publicKeyHex, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${await bot.port()}`;
    await bot.waitForStderr('discord adapter ready');
    await bot.waitForStderr('LLM summaries');

    const ready = await request(`${base}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toEqual({ ready: true, waiting: [] });
    const health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toMatchObject({
      status: 'ok',
      store: { state: 'ready' },
      adapters: { discord: { state: 'ready', detail: 'http mode' } },
      llm: { state: 'failed', detail: expect.stringContaining('OPENAI_BASE_URL=http://127.0.0.1:9/v1 is unreachable') },
    });
    // The wrong OPENAI_BASE_URL is said at start-up, not discovered later as fallback summaries.
    expect(bot.stderr()).toMatch(/"level":40[^\n]*LLM summaries: OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:9\/v1 is unreachable/);
    expect(discord.requests.filter((r) => r.path === '/applications/@me').map((r) => r.status).slice(-2)).toEqual([503, 200]);
    expect(bot.child.exitCode).toBeNull();
  });

  it('the terminal preview with no network: one plain line naming HF_API_URL, no JSON', async () => {
    const bot = run({ HF_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: '' });
    await bot.waitForStderr('HF_API_URL');
    await bot.waitForStderr('LLM summaries');
    const lines = bot.stderr().trim().split('\n');
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(lines.filter((line) => line.includes('HF_API_URL'))).toEqual([
      expect.stringMatching(/^Hugging Face sync failed at HF_API_URL=http:\/\/127\.0\.0\.1:9: Could not reach Hugging Face .*\. Showing what is stored; retrying every 60 min\.$/),
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^LLM summaries: off \(no OPENAI_API_KEY or OPENAI_BASE_URL/));
  });
});
