import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../adapters/slack/index.js';
import type { CommandContext } from '../src/commands/context.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
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
afterAll(async () => {
  await store.close();
  await slack.close();
});

function deps(env: Record<string, string>) {
  const config = parseConfig({ SLACK_API_URL: slack.apiUrl, ...env });
  const clock = () => new Date();
  const summariser = createSummariser({ config, cache: store, clock });
  const commands: CommandContext = { store, summariser, source: { searchPapers: async () => [], getPaper: async () => null }, defaults: { time: '09:00', timeZone: 'UTC', size: 10 }, clock, logger: silentLogger, pageSize: 5 };
  const server = new HttpServer({ store, clock, logger: silentLogger, metrics: async () => ({ contentType: 'text/plain', body: '' }) });
  return { config, commands, store, summariser, server, logger: silentLogger, clock };
}

describe('starting the Slack adapter', () => {
  it('verifies the token with auth.test at start and fails with one clear error when Slack refuses it', async () => {
    const adapter = createSlackAdapter(deps({ SLACK_BOT_TOKEN: 'xoxb-not-the-token', SLACK_SIGNING_SECRET: slack.signingSecret }));
    await expect(adapter.start()).rejects.toThrow(/Slack rejected SLACK_BOT_TOKEN \(auth\.test\): .*invalid_auth/);
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
  });

  it('needs the signing secret in HTTP mode, and not in Socket Mode', () => {
    expect(() => createSlackAdapter(deps({ SLACK_BOT_TOKEN: slack.botToken }))).toThrow(/SLACK_SIGNING_SECRET is not set/);
    expect(createSlackAdapter(deps({ SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken })).mode).toBe('socket');
  });

  it('mounts POST /slack/events on the shared server in HTTP mode, answering 503 until started', async () => {
    const d = deps({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret });
    const adapter = createSlackAdapter(d);
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
