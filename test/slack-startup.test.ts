import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapterOptions } from '../adapters/slack/adapter.js';
import { slackSettings } from '../adapters/slack/settings.js';
import type { CommandContext } from '../src/commands/context.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { HttpServer } from '../src/server.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { startFakeSlack, type FakeSlack } from './fakes/slack-api.js';

let slack: FakeSlack;
let store: SqliteStore;
beforeAll(async () => {
  slack = await startFakeSlack();
  store = openSqliteStore(':memory:');
});
afterEach(() => slack.clearFailures());
afterAll(async () => {
  await store.close();
  await slack.close();
});

/** What the composition root hands the adapter, and Slack's settings read from `env` like the app reads them. */
function deps(env: Record<string, string>) {
  const clock = () => new Date();
  const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock });
  const commands: CommandContext = { store, summariser, source: { searchPapers: async () => [], getPaper: async () => null, paperArtifacts: async () => null }, defaults: { time: '09:00', timeZone: 'UTC', size: 10 }, clock, logger: silentLogger, pageSize: 5 };
  const server = new HttpServer({ store, clock, logger: silentLogger, metrics: async () => ({ contentType: 'text/plain', body: '' }) });
  return { deps: { commands, server, logger: silentLogger, clock }, settings: slackSettings.parse({ SLACK_API_URL: slack.apiUrl, ...env }) };
}

function adapterFor(env: Record<string, string>, options: SlackAdapterOptions = {}, logger = silentLogger) {
  const { deps: d, settings } = deps(env);
  return createSlackAdapter({ ...d, logger }, settings, options);
}

describe('starting the Slack adapter', () => {
  it('verifies the token with auth.test at start and fails with one clear error when Slack refuses it', async () => {
    const adapter = adapterFor({ SLACK_BOT_TOKEN: 'xoxb-not-the-token', SLACK_SIGNING_SECRET: slack.signingSecret });
    await expect(adapter.start()).rejects.toThrow(/^Slack rejected SLACK_BOT_TOKEN \(auth\.test: invalid_auth\): use the Bot User OAuth Token/);
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
  });

  it('retries a transient 5xx from auth.test, then reports ready', async () => {
    slack.failNext('auth.test', { status: 503 }, 2);
    const adapter = adapterFor({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret }, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    expect(adapter.health()).toEqual({ state: 'starting', detail: 'http mode' });
    await adapter.start();
    expect(adapter.health()).toEqual({ state: 'ready', detail: 'http mode' });
    await adapter.stop();
    expect(adapter.health().state).toBe('stopped');
  });

  it('gives up on a Slack that keeps failing with one line naming SLACK_API_URL', async () => {
    slack.failNext('auth.test', { status: 503 }, 10);
    const adapter = adapterFor({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret }, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(adapter.start()).rejects.toThrow(/^Could not reach Slack at SLACK_API_URL=http:\/\/127\.0\.0\.1:\d+\/api\/ \(auth\.test failed 4 times: HTTP 503\); check the network or SLACK_API_URL\.$/);
    expect(adapter.health()).toMatchObject({ state: 'failed' });
  });

  it('never prints the credentials of a SLACK_API_URL with user:password@ in it', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream);
    const apiUrl = slack.apiUrl.replace('http://', 'http://ops:hunter2@');
    const adapter = adapterFor({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: apiUrl }, { retry: { baseDelayMs: 1, maxDelayMs: 2 } }, logger);
    const error = await adapter.start().then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^Could not reach Slack at SLACK_API_URL=http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api\/ \(auth\.test failed 4 times/);
    expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(3);
    for (const text of [error?.message ?? '', ...lines]) expect(text).not.toContain('hunter2');
  });

  it('needs the signing secret in HTTP mode, and not in Socket Mode', () => {
    expect(() => adapterFor({ SLACK_BOT_TOKEN: slack.botToken })).toThrow(/SLACK_SIGNING_SECRET is not set/);
    expect(adapterFor({ SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken }).mode).toBe('socket');
  });

  it('mounts POST /slack/events on the shared server in HTTP mode, answering 503 until started', async () => {
    const { deps: d, settings } = deps({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret });
    const adapter = createSlackAdapter(d, settings);
    const address = await d.server.listen(0, '127.0.0.1');
    try {
      const endpoint = `http://127.0.0.1:${address.port}/slack/events`;
      expect((await slack.command(endpoint, { text: 'help' })).status).toBe(503);
      await adapter.start();
      expect((await slack.command(endpoint, { text: 'help' })).status).toBe(200);
      await adapter.stop();
    } finally {
      await d.server.close();
    }
  });
});
