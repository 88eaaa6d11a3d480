import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startHarness, type Harness } from './fixtures/discord/harness.js';
import { makePaper } from './support/papers.js';

/**
 * A minimal Discord gateway: HELLO, IDENTIFY (checked: our token, Guilds intent only), READY, heartbeat ACKs,
 * and whatever dispatches the test pushes. Enough for discord.js's Client to log in and deliver interactions.
 */
async function startFakeGateway() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const identifies: { token: string; intents: number }[] = [];
  let socket: WebSocket | null = null;
  let sequence = 0;
  const send = (payload: unknown) => socket?.send(JSON.stringify(payload));
  wss.on('connection', (ws) => {
    socket = ws;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d: { token: string; intents: number } };
      if (message.op === 1) send({ op: 11, d: null, s: null, t: null });
      if (message.op === 2) {
        identifies.push({ token: message.d.token, intents: message.d.intents });
        // READY's ids are not checked by the client; interactions carry their own application id.
        const user = { id: '1241234567890123457', username: 'paperboy', discriminator: '0', bot: true, avatar: null, global_name: null };
        const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
        send({ op: 0, t: 'READY', s: ++sequence, d: { v: 10, user, guilds: [], session_id: 'fake-session', resume_gateway_url: url, application: { id: user.id, flags: 0 }, shard: [0, 1] } });
      }
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    identifies,
    dispatch(event: string, data: unknown) {
      send({ op: 0, t: event, s: ++sequence, d: data });
    },
    close: () => new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => resolve());
    }),
  };
}

let h: Harness;
let llm: FakeOpenAI | undefined;
let gateway: Awaited<ReturnType<typeof startFakeGateway>>;

beforeEach(async () => {
  gateway = await startFakeGateway();
  h = await startHarness({ mode: 'gateway', discord: { gatewayUrl: gateway.url } });
  await h.seedDay('2026-05-18', [makePaper({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability' })]);
});

afterEach(async () => {
  await h.adapter.idle();
  expect(h.discord.unknownRoutes).toEqual([]);
  expect(h.discord.rejected).toEqual([]);
  await h.close();
  await gateway.close();
  await llm?.close();
  llm = undefined;
});

describe('gateway mode (DISCORD_TOKEN without DISCORD_PUBLIC_KEY)', () => {
  it('logs in with the Guilds intent only and answers interactions through the callback route', async () => {
    expect(h.adapter.mode).toBe('gateway');
    expect(gateway.identifies).toEqual([{ token: h.discord.token, intents: 1 }]);

    const channel = h.discord.addChannel();
    const payload = h.discord.interaction.command(channel, 'grokking');
    const interaction = h.discord.registerInteraction(payload);
    gateway.dispatch('INTERACTION_CREATE', payload);
    await interaction.acked;

    expect(interaction.response?.type).toBe(4);
    expect(interaction.response?.data?.flags).toBe(64);
    expect(JSON.stringify(interaction.response?.data?.embeds)).toContain('Grokking at the Edge');
    expect(interaction.responseMs).toBeLessThan(3000);
    expect(h.discord.requests.map((r) => `${r.method} ${r.path.replace(/\d{17,20}/g, ':id').replace(/\/[^/]+\/callback/, '/:token/callback')}`)).toEqual([
      'GET /applications/@me',
      'GET /gateway/bot',
      'POST /interactions/:id/:token/callback',
    ]);
  });

  it('counts a deferred answer as work in flight from the deferral on: idle() waits for its @original edit', async () => {
    // Here the deferral is a request of its own (the callback route); idle() called while it is on its way must
    // still wait for the answer that completes it.
    await h.close();
    llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'A summary that took its time.' }, { delayMs: 200 }) });
    h = await startHarness({ mode: 'gateway', discord: { gatewayUrl: gateway.url }, llm });
    await h.seedDay('2026-05-18', [makePaper({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability' })]);
    const payload = h.discord.interaction.command(h.discord.addChannel(), 'summary 2605.15298');
    const interaction = h.discord.registerInteraction(payload);
    gateway.dispatch('INTERACTION_CREATE', payload);
    await interaction.acked;
    await h.adapter.idle();

    expect(interaction.response?.type).toBe(5);
    expect(JSON.stringify(interaction.original!.edits)).toContain('A summary that took its time.');
  });

  it('ignores a gateway payload that does not validate', async () => {
    // Well-formed enough for discord.js's own handler, but its id is no snowflake: ours must not act on it.
    const channel = h.discord.addChannel();
    gateway.dispatch('INTERACTION_CREATE', { ...h.discord.interaction.command(channel, 'grokking'), id: 'not-a-snowflake' });
    // The gateway delivers in order: once a valid interaction after it is answered and the handler is idle, the
    // invalid one has had every chance to be (wrongly) answered too.
    const valid = h.discord.interaction.command(channel, 'grokking');
    const interaction = h.discord.registerInteraction(valid);
    gateway.dispatch('INTERACTION_CREATE', valid);
    await interaction.acked;
    await h.adapter.idle();
    expect(h.discord.requests.filter((r) => r.path.includes('/interactions/')).map((r) => r.path.split('/')[2])).toEqual([valid.id]);
  });
});
