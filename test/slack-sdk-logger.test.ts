import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { slackSdkLogger } from '../adapters/slack/bolt-logger.js';
import { createLogger } from '../src/logger.js';

function capture(level: string): { lines: () => Record<string, unknown>[]; sdk: ReturnType<typeof slackSdkLogger> } {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (chunks.push(chunk.toString()), done()) });
  const sdk = slackSdkLogger(createLogger(level, sink));
  return { sdk, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("the Slack SDK's logs", () => {
  it('are not even formatted below the level: a request body logged at debug costs nothing at info', () => {
    const { sdk, lines } = capture('info');
    const body = { toJSON: () => { throw new Error('formatted a debug line nobody reads'); } };
    expect(() => sdk.debug('http request body:', body)).not.toThrow();
    sdk.warn('retrying', 'https://user:secret@slack.example/api/chat.postMessage');
    expect(lines()).toMatchObject([{ level: 40, component: 'slack-sdk', msg: 'retrying https://***@slack.example/api/chat.postMessage' }]);
  });

  it('at debug level, lose the credentials of any URL they quote', () => {
    const { sdk, lines } = capture('debug');
    sdk.debug('http request url:', 'https://user:secret@slack.example/api/chat.postMessage', { channel: 'C0123' });
    expect(lines()).toMatchObject([{ level: 20, msg: 'http request url: https://***@slack.example/api/chat.postMessage {"channel":"C0123"}' }]);
  });
});
