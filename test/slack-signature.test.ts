import { afterEach, describe, expect, it } from 'vitest';
import { checkSlackSignature } from '../adapters/slack/signature.js';
import { signRequest } from './fixtures/slack/requests.js';
import { startHarness, type Harness } from './fixtures/slack/harness.js';

/** Slack's own signing example (DESIGN §6). */
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const at = (seconds: number) => new Date(seconds * 1000);
const T = Number(VECTOR.timestamp);

describe('Slack request signatures', () => {
  it("accepts Slack's example with the clock frozen at its timestamp", () => {
    // The fake signs as Slack does: its signature of the example is the example's.
    expect(signRequest(VECTOR.body, VECTOR.secret, { timestamp: T })['x-slack-signature']).toBe(VECTOR.signature);
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.signature, Buffer.from(VECTOR.body), at(T))).toBe('ok');
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.signature, Buffer.from(VECTOR.body), at(T + 300))).toBe('ok');
  });

  it('refuses a stale or far-future timestamp, a wrong secret, a changed body, a missing header', () => {
    const body = Buffer.from(VECTOR.body);
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.signature, body, at(T + 301))).toBe('stale');
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.signature, body, at(T - 301))).toBe('stale');
    expect(checkSlackSignature('another-secret', VECTOR.timestamp, VECTOR.signature, body, at(T))).toBe('mismatch');
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.signature, Buffer.from(`${VECTOR.body}x`), at(T))).toBe('mismatch');
    expect(checkSlackSignature(VECTOR.secret, undefined, VECTOR.signature, body, at(T))).toBe('missing');
    expect(checkSlackSignature(VECTOR.secret, VECTOR.timestamp, 'v1=abc', body, at(T))).toBe('missing');
  });
});

describe('POST /slack/events with the clock frozen', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const post = (endpoint: string, headers: Record<string, string> = {}) =>
    fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': VECTOR.timestamp, 'x-slack-signature': VECTOR.signature, ...headers },
      body: VECTOR.body,
    });

  it("answers Slack's example request (an empty /command is help) and refuses it five minutes later", async () => {
    let now = at(T);
    h = await startHarness({ slack: { signingSecret: VECTOR.secret }, clock: () => now });
    const ok = await post(h.endpoint);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { response_type: string }).response_type).toBe('ephemeral');

    now = at(T + 301);
    expect((await post(h.endpoint, { 'x-slack-request-timestamp': VECTOR.timestamp })).status).toBe(401);
    now = at(T);
    expect((await post(h.endpoint, { 'x-slack-signature': `v0=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await post(h.endpoint, { 'x-slack-signature': '' })).status).toBe(401);
  });
});
