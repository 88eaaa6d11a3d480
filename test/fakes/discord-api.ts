/**
 * A loopback fake of Discord's REST API v10, strict where Discord is strict (DESIGN §6), so a test can claim
 * "Discord would accept this" from "the fake accepted this":
 * - bodies are checked against Discord's limits (content, embeds, 6000 characters, components, custom_ids,
 *   thread names) and refused with 400 / code 50035 like Discord; an empty message is 50006. One rule is ours,
 *   not Discord's: a message without `allowed_mentions: {parse: []}` is refused too.
 * - per-route buckets keyed by major parameter, with `X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket` on
 *   every answer and 429 + `Retry-After` + body `retry_after` when one is exhausted; a global 50 requests per
 *   second (a token bucket) for bot-token routes (interaction callbacks and webhooks are exempt, as on Discord).
 * - channels, threads started from messages, forum posts, message edits, history, interaction callbacks,
 *   `@original` edits and follow-ups (tokens must belong to an interaction this fake sent), command registration.
 * It plays Discord's other half too: `sendInteraction` signs an interaction with a generated Ed25519 key and
 * POSTs it to the bot's endpoint. Every request is recorded; unknown routes are answered 404 and listed.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCommands, checkMessage, checkResponse, checkText, formError, notFound, Reject, requireNoMentions } from '../fixtures/discord/discord-rules.js';
import { RateLimits, type Limit } from '../fixtures/discord/rate-limits.js';

export type { Limit };

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A realistic 18–19 digit snowflake (discord.js buckets routes only by 17–19 digit ids). */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment);
}

export interface FakeMessage {
  id: string;
  channelId: string;
  kind: 'channel' | 'forum-starter' | 'interaction-response' | 'follow-up';
  body: Record<string, unknown>;
  threadId: string | null;
  edits: Record<string, unknown>[];
}

export interface FakeChannel {
  id: string;
  type: number;
  guildId: string | null;
  parentId: string | null;
  name?: string;
  autoArchiveDuration?: number;
  access: boolean;
}

export interface FakeInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  createdAt: number;
  /** The first answer (HTTP response body or callback), and how long it took. */
  response: { type: number; data?: Record<string, unknown> } | null;
  responseMs: number | null;
  original: FakeMessage | null;
  followUps: FakeMessage[];
  acked: Promise<void>;
  ack: () => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
  code?: number;
}

export interface FakeDiscordOptions {
  /** Per route template (`POST /channels/:id/messages`); default 5 per 5 s for posts and edits, else 50/s. */
  routeLimits?: Record<string, Limit>;
  /** Bot-token requests per window across all routes; default 50 per second. */
  globalLimit?: Limit;
  /** Added to every REST answer, to model a network hop. */
  latencyMs?: number;
  /** URL answered by GET /gateway/bot. */
  gatewayUrl?: string;
  /** Told of every message the moment it is created, before the answer goes back (crash tests kill here). */
  onMessage?: (message: FakeMessage) => void;
}

export const GUILD_ID = '281683040739262465';

export const FAKE_BOT_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.bot-token-for-tests';

export async function startFakeDiscord(options: FakeDiscordOptions = {}) {
  const applicationId = snowflake();
  const botUserId = applicationId;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const wrongKey = generateKeyPairSync('ed25519').privateKey;
  const limits = new RateLimits(options.routeLimits, options.globalLimit);

  const channels = new Map<string, FakeChannel>();
  const messages: FakeMessage[] = [];
  const interactions = new Map<string, FakeInteraction>();
  const commands = new Map<string, { id: string; body: Record<string, unknown> }[]>();
  const nonces = new Map<string, FakeMessage>();
  const requests: RecordedRequest[] = [];
  const unknownRoutes: RecordedRequest[] = [];
  const rejected: RecordedRequest[] = [];
  const rateLimited: { path: string; scope: 'user' | 'global' }[] = [];
  /** Scripted answers: the next `times` requests to a route template get `status` instead. */
  const failures: { key: string; status: number; remaining: number }[] = [];

  // ---- state helpers ----
  function channel(id: string): FakeChannel {
    const found = channels.get(id);
    if (!found) throw notFound(10003, 'Unknown Channel');
    if (!found.access) throw new Reject(403, { code: 50001, message: 'Missing Access' });
    return found;
  }
  function messageView(message: FakeMessage): Record<string, unknown> {
    const body = Object.assign({}, message.body, ...message.edits);
    return { id: message.id, channel_id: message.channelId, author: { id: botUserId, username: 'paperboy', bot: true }, ...body, ...(message.threadId ? { thread: { id: message.threadId } } : {}) };
  }
  function createMessage(channelId: string, body: Record<string, unknown>, kind: FakeMessage['kind'], id = snowflake()): FakeMessage {
    const message: FakeMessage = { id, channelId, kind, body, threadId: null, edits: [] };
    messages.push(message);
    options.onMessage?.(message);
    return message;
  }
  function interactionByToken(appId: string, token: string): FakeInteraction {
    const found = appId === applicationId ? [...interactions.values()].find((i) => i.token === token) : undefined;
    if (!found) throw notFound(10015, 'Unknown Webhook');
    return found;
  }
  function acknowledge(interaction: FakeInteraction, response: { type: number; data?: Record<string, unknown> }, ms: number): void {
    if (interaction.response) throw new Reject(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
    if (ms > 3000) throw notFound(10062, 'Unknown interaction');
    const data = checkResponse(response);
    interaction.response = response;
    interaction.responseMs = ms;
    if (response.type === 4 || response.type === 5) interaction.original = createMessage(String(interaction.payload.channel_id), data, 'interaction-response');
    interaction.ack();
  }

  // ---- routes ----
  type Handler = (m: string[], body: Record<string, unknown>, query: URLSearchParams) => unknown | Promise<unknown>;
  /** `major`: which path parameter keys the bucket (Discord's major parameter); 'all' for webhook id + token. */
  type Major = number | 'all' | null;
  const routes: { method: string; pattern: RegExp; template: string; major: Major; auth: boolean; handler: Handler }[] = [];
  const route = (method: string, template: string, handler: Handler, opts: { auth?: boolean; major?: Major } = {}) => {
    const pattern = new RegExp(`^${template.replace(/:token/g, '([^/]+)').replace(/:id/g, '(\\d{17,20})')}$`);
    routes.push({ method, pattern, template, major: opts.major === undefined ? 0 : opts.major, auth: opts.auth ?? true, handler });
  };

  route('GET', '/gateway/bot', () => ({ url: options.gatewayUrl ?? 'wss://gateway.discord.gg', shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }), { major: null });
  route('GET', '/users/@me', () => ({ id: botUserId, username: 'paperboy', bot: true }), { major: null });
  route('GET', '/applications/@me', () => ({ id: applicationId, name: 'paperboy', bot_public: false, flags: 0, bot: { id: botUserId, username: 'paperboy' } }), { major: null });
  route('GET', '/channels/:id', ([id]) => {
    const c = channel(id!);
    return { id: c.id, type: c.type, guild_id: c.guildId, parent_id: c.parentId, name: c.name ?? 'papers' };
  });
  route('GET', '/channels/:id/messages', ([id], _b, query) => {
    channel(id!);
    const after = query.get('after');
    const limit = Math.min(100, Number(query.get('limit') ?? 50));
    const inChannel = messages.filter((m) => m.channelId === id && (m.kind === 'channel' || m.kind === 'forum-starter') && (!after || BigInt(m.id) > BigInt(after)));
    const picked = after ? inChannel.slice(0, limit) : inChannel.slice(-limit);
    return picked.reverse().map(messageView);
  });
  route('POST', '/channels/:id/messages', ([id], body) => {
    const c = channel(id!);
    if (c.type === 15 || c.type === 16) throw new Reject(400, { code: 50008, message: 'Cannot send messages in a non-text channel' });
    checkMessage(body);
    const nonceKey = body.enforce_nonce && body.nonce !== undefined ? `${id}|${String(body.nonce)}` : null;
    const earlier = nonceKey ? nonces.get(nonceKey) : undefined;
    if (earlier) return messageView(earlier);
    const { nonce: _n, enforce_nonce: _e, ...stored } = body;
    const message = createMessage(id!, stored, 'channel');
    if (nonceKey) nonces.set(nonceKey, message);
    return messageView(message);
  });
  route('PATCH', '/channels/:id/messages/:id', ([id, mid], body) => {
    channel(id!);
    const message = messages.find((m) => m.id === mid && m.channelId === id);
    if (!message) throw notFound(10008, 'Unknown Message');
    requireNoMentions(body, 'a message edit');
    checkMessage({ ...messageView(message), ...body });
    message.edits.push(body);
    return messageView(message);
  });
  route('POST', '/channels/:id/messages/:id/threads', ([id, mid], body) => {
    const c = channel(id!);
    if (c.type !== 0 && c.type !== 5) throw new Reject(400, { code: 50024, message: 'Cannot execute action on this channel type' });
    const message = messages.find((m) => m.id === mid && m.channelId === id);
    if (!message) throw notFound(10008, 'Unknown Message');
    if (message.threadId) throw new Reject(400, { code: 160004, message: 'A thread has already been created for this message' });
    checkText('name', body.name, 100, true);
    if (body.auto_archive_duration !== undefined && ![60, 1440, 4320, 10080].includes(body.auto_archive_duration as number)) throw formError('auto_archive_duration', 'Value must be one of {60, 1440, 4320, 10080}.');
    const thread: FakeChannel = { id: message.id, type: 11, guildId: c.guildId, parentId: c.id, name: String(body.name), autoArchiveDuration: body.auto_archive_duration as number, access: true };
    channels.set(thread.id, thread);
    message.threadId = thread.id;
    return { id: thread.id, type: 11, guild_id: c.guildId, parent_id: c.id, name: thread.name };
  });
  route('POST', '/channels/:id/threads', ([id], body) => {
    const c = channel(id!);
    if (c.type !== 15 && c.type !== 16) throw new Reject(400, { code: 50024, message: 'Cannot execute action on this channel type' });
    checkText('name', body.name, 100, true);
    const starter = body.message as Record<string, unknown> | undefined;
    if (!starter) throw formError('message', 'This field is required');
    checkMessage(starter, 'a forum post');
    const thread: FakeChannel = { id: snowflake(), type: 11, guildId: c.guildId, parentId: c.id, name: String(body.name), autoArchiveDuration: body.auto_archive_duration as number, access: true };
    channels.set(thread.id, thread);
    const message = createMessage(thread.id, starter, 'forum-starter', thread.id);
    return { id: thread.id, type: 11, guild_id: c.guildId, parent_id: c.id, name: thread.name, message: messageView(message) };
  });
  route(
    'POST',
    '/interactions/:id/:token/callback',
    ([id, token], body) => {
      const interaction = interactions.get(id!);
      if (!interaction || interaction.token !== token) throw notFound(10062, 'Unknown interaction');
      acknowledge(interaction, body as { type: number }, Date.now() - interaction.createdAt);
      return undefined;
    },
    { auth: false, major: 'all' },
  );
  route(
    'PATCH',
    '/webhooks/:id/:token/messages/@original',
    async ([app, token], body) => {
      const interaction = interactionByToken(app!, token!);
      // Discord has the first answer before a follow-up can arrive; locally the two race, so wait for it.
      await Promise.race([interaction.acked, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!interaction.original) throw notFound(10008, 'Unknown Message');
      requireNoMentions(body, 'an @original edit');
      checkMessage({ ...interaction.original.body, ...body }, 'an @original edit');
      interaction.original.edits.push(body);
      return messageView(interaction.original);
    },
    { auth: false, major: 'all' },
  );
  route(
    'POST',
    '/webhooks/:id/:token',
    async ([app, token], body) => {
      const interaction = interactionByToken(app!, token!);
      await Promise.race([interaction.acked, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!interaction.response) throw notFound(10015, 'Unknown Webhook');
      checkMessage(body, 'a follow-up');
      const message = createMessage(String(interaction.payload.channel_id), body, 'follow-up');
      interaction.followUps.push(message);
      return messageView(message);
    },
    { auth: false, major: 'all' },
  );
  const putCommands = (scope: string, body: unknown) => {
    const previous = commands.get(scope) ?? [];
    const next = checkCommands(body).map((command) => ({ id: previous.find((p) => p.body.name === command.name)?.id ?? snowflake(), body: command }));
    commands.set(scope, next);
    return next.map(({ id, body: command }) => ({ id, application_id: applicationId, version: id, ...command }));
  };
  route('PUT', '/applications/:id/commands', ([app], body) => {
    if (app !== applicationId) throw notFound(10002, 'Unknown Application');
    return putCommands('global', body);
  });
  route('PUT', '/applications/:id/guilds/:id/commands', ([app, guild], body) => {
    if (app !== applicationId) throw notFound(10002, 'Unknown Application');
    return putCommands(`guild:${guild}`, body);
  });

  // ---- server ----
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    // discord.js percent-encodes `@` in `@me` and `@original`.
    const path = url.pathname.replace(/^\/api\/v10/, '').replaceAll('%40', '@');
    const record: RecordedRequest = { method: req.method ?? '', path, status: 0, body };
    requests.push(record);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      // A 204 has no body, and Discord names no type for it: a JSON type on nothing fails any client that parses it.
      res.writeHead(status, payload === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const found = url.pathname.startsWith('/api/v10/') ? routes.find((r) => r.method === req.method && r.pattern.test(path)) : undefined;
    if (!found) {
      record.status = 404;
      unknownRoutes.push(record);
      return send(404, { message: '404: Not Found', code: 0 });
    }
    const params = found.pattern.exec(path)!.slice(1);
    let headers: Record<string, string> = {};
    const scripted = failures.find((f) => f.key === `${req.method} ${found.template}` && f.remaining > 0);
    if (scripted) {
      scripted.remaining--;
      return send(scripted.status, { message: `${scripted.status}: scripted failure`, code: 0 });
    }
    try {
      if (found.auth && req.headers.authorization !== `Bot ${FAKE_BOT_TOKEN}`) throw new Reject(401, { message: '401: Unauthorized', code: 0 });
      const now = Date.now();
      if (found.auth) limits.takeGlobal(now);
      const major = found.major === null ? '' : found.major === 'all' ? params.join('/') : (params[found.major] ?? '');
      headers = limits.takeBucket(`${req.method} ${found.template}`, major, now);
      const result = await found.handler(params, (body ?? {}) as Record<string, unknown>, url.searchParams);
      send(result === undefined ? 204 : 200, result, headers);
    } catch (error) {
      if (!(error instanceof Reject)) throw error;
      record.code = error.body.code as number | undefined;
      if (error.status === 429) rateLimited.push({ path, scope: error.body.global ? 'global' : 'user' });
      else if (error.status === 400) rejected.push(record);
      send(error.status, error.body, { ...headers, ...error.headers });
    }
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error), code: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // ---- Discord's other half: interactions sent to the bot ----
  function registerInteraction(payload: Record<string, unknown>): FakeInteraction {
    let ack!: () => void;
    const acked = new Promise<void>((resolve) => (ack = resolve));
    const interaction: FakeInteraction = { id: String(payload.id), token: String(payload.token), payload, createdAt: Date.now(), response: null, responseMs: null, original: null, followUps: [], acked, ack };
    interactions.set(interaction.id, interaction);
    return interaction;
  }

  function signed(raw: string, key: KeyObject, timestamp: string): Record<string, string> {
    return { 'x-signature-ed25519': sign(null, Buffer.from(timestamp + raw), key).toString('hex'), 'x-signature-timestamp': timestamp };
  }

  /** A signed request for `payload`, as Discord would send it; registers the interaction (its token works). */
  function signedRequest(payload: Record<string, unknown>, signing: 'valid' | 'wrong-key' | 'none' | 'stale' = 'valid') {
    const interaction = registerInteraction(payload);
    const raw = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000) - (signing === 'stale' ? 3600 : 0));
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(signing === 'none' ? {} : signed(raw, signing === 'wrong-key' ? wrongKey : privateKey, timestamp)) };
    return { interaction, raw, headers };
  }

  /** Takes an HTTP answer as the interaction's first response; returns why Discord would refuse it, or null. */
  function recordResponse(interaction: FakeInteraction, body: { type: number; data?: Record<string, unknown> }, ms: number): string | null {
    try {
      acknowledge(interaction, body, ms);
      return null;
    } catch (error) {
      if (error instanceof Reject) rejected.push({ method: 'POST', path: '(interaction response)', status: error.status, body, code: error.body.code as number });
      return error instanceof Error ? error.message : String(error);
    }
  }

  return {
    url: `http://127.0.0.1:${port}/api`,
    token: FAKE_BOT_TOKEN,
    applicationId,
    botUserId,
    /** Hex public key, as DISCORD_PUBLIC_KEY expects. */
    publicKeyHex: (publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('hex'),
    channels,
    messages,
    interactions,
    requests,
    unknownRoutes,
    /** Requests refused with 400 (limits, empty messages, missing allowed_mentions): tests expect none. */
    rejected,
    rateLimited,
    addChannel(type = 0, id = snowflake(), guildId: string | null = GUILD_ID): string {
      channels.set(id, { id, type, guildId, parentId: null, access: true });
      return id;
    },
    revokeAccess(id: string): void {
      const c = channels.get(id);
      if (c) c.access = false;
    },
    removeChannel(id: string): void {
      channels.delete(id);
    },
    /** Channel messages (not interaction answers) in a channel or thread, oldest first. */
    messagesIn(channelId: string): FakeMessage[] {
      return messages.filter((m) => m.channelId === channelId && (m.kind === 'channel' || m.kind === 'forum-starter'));
    },
    commands(scope: 'global' | string = 'global'): Record<string, unknown>[] {
      return (commands.get(scope === 'global' ? 'global' : `guild:${scope}`) ?? []).map(({ id, body }) => ({ id, ...body }));
    },
    registerInteraction,
    /**
     * Signs `payload` like Discord (or with the wrong key / no signature), POSTs it to `endpoint` and records the
     * HTTP answer as the interaction's first response.
     */
    signedRequest,
    recordResponse,
    async sendInteraction(endpoint: string, payload: Record<string, unknown>, signing: 'valid' | 'wrong-key' | 'none' | 'stale' = 'valid') {
      const { interaction, raw, headers } = signedRequest(payload, signing);
      const started = performance.now();
      const response = await fetch(endpoint, { method: 'POST', headers, body: raw });
      const text = await response.text();
      const ms = performance.now() - started;
      const json = text ? (JSON.parse(text) as { type: number; data?: Record<string, unknown> }) : null;
      const problem = response.status === 200 && json && payload.type !== 1 ? recordResponse(interaction, json, ms) : null;
      return { status: response.status, body: json, ms, interaction, problem };
    },
    /** The next `times` requests to `route` (e.g. `GET /applications/@me`) are answered `status`. */
    fail(route: string, status: number, times = 1) {
      failures.push({ key: route, status, remaining: times });
    },
    /** Interaction payloads shaped like Discord's. */
    interaction: {
      command(channelId: string, text: string, opts: InteractionOptions = {}) {
        return interactionPayload(2, channelId, { name: 'papers', type: 1, options: [{ name: 'query', type: 3, value: text }] }, opts);
      },
      autocomplete(channelId: string, text: string, opts: InteractionOptions = {}) {
        return interactionPayload(4, channelId, { name: 'papers', type: 1, options: [{ name: 'query', type: 3, value: text, focused: true }] }, opts);
      },
      button(channelId: string, customId: string, message: { id: string; flags?: number }, opts: InteractionOptions = {}) {
        return { ...interactionPayload(3, channelId, { custom_id: customId, component_type: 2 }, opts), message: { id: message.id, channel_id: channelId, flags: message.flags ?? 0 } };
      },
      ping() {
        return { id: snowflake(), application_id: applicationId, type: 1, token: randomBytes(40).toString('base64url'), version: 1 };
      },
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };

  function interactionPayload(type: number, channelId: string, data: Record<string, unknown>, opts: InteractionOptions): Record<string, unknown> {
    const c = channels.get(channelId);
    const userId = opts.userId ?? '80351110224678912';
    const inGuild = opts.dm !== true && (c ? c.guildId !== null : true);
    return {
      id: snowflake(),
      application_id: applicationId,
      type,
      token: `aW50ZXJhY3Rpb246${randomBytes(60).toString('base64url')}`,
      version: 1,
      channel_id: channelId,
      channel: { id: channelId, type: opts.dm ? 1 : (c?.type ?? 0) },
      ...(inGuild
        ? { guild_id: c?.guildId ?? GUILD_ID, member: { user: { id: userId, username: 'ada' }, permissions: String(opts.permissions ?? 1n << 11n), roles: [] } }
        : { user: { id: userId, username: 'ada' } }),
      context: inGuild ? 0 : 1,
      authorizing_integration_owners: { '0': inGuild ? (c?.guildId ?? GUILD_ID) : '0' },
      app_permissions: '309237729280',
      locale: 'en-GB',
      entitlements: [],
      data,
    };
  }
}

export interface InteractionOptions {
  /** `member.permissions` as Discord sends it; default Send Messages only (no Manage Channels). */
  permissions?: bigint;
  userId?: string;
  /** In the bot's DM: no guild, no member. */
  dm?: boolean;
}

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;

export const MANAGE_CHANNELS = 1n << 4n;

