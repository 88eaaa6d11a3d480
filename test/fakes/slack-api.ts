/**
 * A loopback fake of Slack, strict where Slack is strict (DESIGN §6), so "the fake accepted it" means "Slack
 * would":
 * - Web API methods paperboy uses (auth.test, chat.postMessage / update / postEphemeral / getPermalink,
 *   conversations.history / replies, apps.connections.open) behind bot-token auth; every message is checked
 *   against Block Kit's limits and refused like Slack (`invalid_blocks`, `msg_too_long`, `no_text`). One rule
 *   is ours, not Slack's: a chat.postMessage without `unfurl_links: false` is refused too.
 * - ≈1 message per second per channel for chat.postMessage (the gap is configurable): a post closer than that
 *   to the previous accepted one is answered 429 with `Retry-After` in whole seconds, as Slack does.
 * - response_url endpoints (`/hooks/…`, 5 uses, 30 minutes) for the commands and button presses it sends.
 * It plays Slack's other half too: it signs slash commands and block actions with the signing secret and
 * POSTs them to the bot's endpoint, recording the acknowledgement (checked like any message), or delivers them
 * over a Socket Mode WebSocket. Every call is recorded; unknown methods are answered `unknown_method` and listed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkMessage, type MessageProblem } from '../fixtures/slack/block-kit.js';
import { FakeSocketMode } from '../fixtures/slack/socket-mode.js';
import { BOT_ID, blockActionPayload, commandForm, signRequest, TEAM_ID, type ActionInput, type CommandInput, type SignOptions } from '../fixtures/slack/requests.js';

export type { ActionInput, CommandInput, SignOptions };

type Json = Record<string, unknown>;

export interface FakeSlackOptions {
  /** Least gap between two accepted chat.postMessage calls in one channel (default 1000 ms). */
  postIntervalMs?: number;
  signingSecret?: string;
  /** Told of every accepted message the moment it is stored, before the answer goes back (crash tests kill here). */
  onMessage?: (message: FakeMessage) => void;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs: string | null;
  /** The arguments as sent (JSON fields decoded). */
  body: Json;
  edits: Json[];
  /** performance.now() when accepted. */
  at: number;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  threadTs: string | null;
  body: Json;
}

export interface HookPost {
  /** The hook the bot posted to (one per command or button press). */
  hook: string;
  body: Json;
  /** When it arrived (performance.now()). */
  at: number;
}

export interface Rejection {
  where: string;
  error: string;
  problems: string[];
}

export interface SentRequest {
  status: number;
  /** The acknowledgement: parsed JSON, or null when empty. */
  body: Json | null;
  ms: number;
  /** The response_url this request carried. */
  hook: string;
}

export const FAKE_SIGNING_SECRET = 'fake-signing-secret-0123456789abcdef';
const BOT_TOKEN = `xoxb-${TEAM_ID}-fake-bot-token`;
const APP_TOKEN = 'xapp-1-A0FAKE-fake-app-token';
const BOT_USER_ID = 'U0PAPERBOY';
const HOOK_USES = 5;
const HOOK_TTL_MS = 30 * 60_000;

export async function startFakeSlack(options: FakeSlackOptions = {}) {
  const interval = options.postIntervalMs ?? 1000;
  const signingSecret = options.signingSecret ?? FAKE_SIGNING_SECRET;
  const messages: FakeMessage[] = [];
  const ephemerals: FakeEphemeral[] = [];
  const hookPosts: HookPost[] = [];
  const acks: { kind: string; body: Json | null }[] = [];
  const rejected: Rejection[] = [];
  const rateLimited: { channel: string; retryAfter: number }[] = [];
  const unknownMethods: string[] = [];
  const calls: { method: string; at: number }[] = [];
  const channelState = new Map<string, 'missing' | 'archived' | 'not_in_channel'>();
  const lastPost = new Map<string, number>();
  const hooks = new Map<string, { uses: number; created: number }>();
  const failures: { method: string; failure: Failure; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  let tsCounter = 0;
  let idCounter = 0;

  type Failure = { status: number } | { error: string } | { retryAfter: number };
  class Answer {
    constructor(
      readonly status: number,
      readonly body: Json,
      readonly headers: Record<string, string> = {},
    ) {}
  }
  const fail = (error: string, extra: Json = {}) => new Answer(200, { ok: false, error, ...extra });

  function nextTs(): string {
    tsCounter++;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
  }
  function channelOk(id: unknown): string | Answer {
    if (typeof id !== 'string' || !/^[CGD][A-Z0-9]{2,}$/.test(id)) return fail('channel_not_found');
    const state = channelState.get(id);
    return state === undefined ? id : fail(state === 'missing' ? 'channel_not_found' : state === 'archived' ? 'is_archived' : 'not_in_channel');
  }
  function validate(where: string, body: Json): MessageProblem | null {
    const problem = checkMessage(body);
    if (problem) rejected.push({ where, ...problem });
    return problem;
  }
  function findMessage(channel: string, ts: unknown): FakeMessage | undefined {
    return messages.find((m) => m.channel === channel && m.ts === ts);
  }
  function view(message: FakeMessage, withMetadata: boolean): Json {
    const body = Object.assign({}, message.body, ...message.edits) as Json;
    return {
      type: 'message',
      ts: message.ts,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      bot_id: BOT_ID,
      user: BOT_USER_ID,
      text: body.text,
      blocks: body.blocks,
      ...(withMetadata && body.metadata ? { metadata: body.metadata } : {}),
    };
  }

  const methods: Record<string, (args: Json) => Answer | Json> = {
    'auth.test': () => ({ ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'paperboy', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID }),
    'chat.postMessage': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      if (args.unfurl_links !== false && args.unfurl_links !== 'false') return rejectWith('chat.postMessage', 'invalid_arguments', ['unfurl_links must be false (our rule)']);
      const problem = validate('chat.postMessage', args);
      if (problem) return fail(problem.error, { response_metadata: { messages: problem.problems } });
      let threadTs: string | null = null;
      if (args.thread_ts !== undefined) {
        const parent = findMessage(channel, args.thread_ts);
        if (!parent || parent.threadTs !== null) return rejectWith('chat.postMessage', 'thread_not_found', [`no top-level message ${String(args.thread_ts)} in ${channel}`]);
        threadTs = parent.ts;
      }
      const now = performance.now();
      const last = lastPost.get(channel);
      if (last !== undefined && now - last < interval) {
        const retryAfter = Math.max(1, Math.ceil((interval - (now - last)) / 1000));
        rateLimited.push({ channel, retryAfter });
        return new Answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      }
      lastPost.set(channel, now);
      const message: FakeMessage = { channel, ts: nextTs(), threadTs, body: args, edits: [], at: now };
      messages.push(message);
      options.onMessage?.(message);
      return { ok: true, channel, ts: message.ts, message: view(message, false) };
    },
    'chat.update': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      const message = findMessage(channel, args.ts);
      if (!message) return fail('message_not_found');
      const problem = validate('chat.update', args);
      if (problem) return fail(problem.error);
      message.edits.push(args);
      return { ok: true, channel, ts: message.ts };
    },
    'chat.postEphemeral': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      if (typeof args.user !== 'string' || !/^[UW][A-Z0-9]+$/.test(args.user)) return fail('user_not_found');
      const problem = validate('chat.postEphemeral', args);
      if (problem) return fail(problem.error);
      ephemerals.push({ channel, user: args.user, threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : null, body: args });
      return { ok: true, message_ts: nextTs() };
    },
    'chat.getPermalink': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      const message = findMessage(channel, args.message_ts);
      if (!message) return fail('message_not_found');
      const thread = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel}` : '';
      return { ok: true, channel, permalink: `https://fake.slack.com/archives/${channel}/p${message.ts.replace('.', '')}${thread}` };
    },
    'conversations.history': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      const top = messages.filter((m) => m.channel === channel && m.threadTs === null).reverse();
      return { ok: true, messages: top.slice(0, Number(args.limit ?? 100)).map((m) => view(m, isTrue(args.include_all_metadata))), has_more: false };
    },
    'conversations.replies': (args) => {
      const channel = channelOk(args.channel);
      if (channel instanceof Answer) return channel;
      const parent = findMessage(channel, args.ts);
      if (!parent) return fail('thread_not_found');
      const thread = [parent, ...messages.filter((m) => m.channel === channel && m.threadTs === parent.ts)];
      return { ok: true, messages: thread.slice(0, Number(args.limit ?? 100)).map((m) => view(m, isTrue(args.include_all_metadata))), has_more: false };
    },
  };

  function rejectWith(where: string, error: string, problems: string[]): Answer {
    rejected.push({ where, error, problems });
    return fail(error);
  }

  // ---- HTTP ----
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const api = /^\/api\/([a-zA-Z.]+)$/.exec(path);
    if (api && req.method === 'POST') return answer(res, callMethod(api[1]!, req, raw));
    const hook = /^\/hooks\/([a-z0-9]+)$/.exec(path);
    if (hook && req.method === 'POST') return answer(res, postToHook(hook[1]!, raw));
    unknownMethods.push(`${req.method} ${path}`);
    return answer(res, new Answer(404, { ok: false, error: 'not_found' }));
  }

  function callMethod(method: string, req: IncomingMessage, raw: string): Answer {
    calls.push({ method, at: performance.now() });
    const args = parseArgs(req.headers['content-type'], raw);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (typeof args.token === 'string' ? args.token : '');
    if (method === 'apps.connections.open') {
      if (token !== APP_TOKEN) return fail('invalid_auth');
      return new Answer(200, { ok: true, url: `${wsBase}/link/?ticket=${randomBytes(6).toString('hex')}` });
    }
    if (!token) return fail('not_authed');
    if (token !== BOT_TOKEN) return fail('invalid_auth');
    const scripted = failures.find((f) => f.method === method && f.remaining > 0);
    if (scripted) {
      scripted.remaining--;
      const failure = scripted.failure;
      if ('status' in failure) return new Answer(failure.status, { ok: false, error: 'fake_http_error' });
      if ('retryAfter' in failure) return new Answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      return fail(failure.error);
    }
    const handler = methods[method];
    if (!handler) {
      unknownMethods.push(method);
      return fail('unknown_method');
    }
    // Slack reads JSON bodies only on write methods; a read method sent one sees none of its arguments.
    if (req.headers['content-type']?.startsWith('application/json') && !JSON_METHODS.has(method)) {
      return rejectWith(method, 'invalid_arguments', [`${method} takes form fields, not a JSON body`]);
    }
    const result = handler(args);
    return result instanceof Answer ? result : new Answer(200, result);
  }

  function postToHook(id: string, raw: string): Answer {
    const hook = hooks.get(id);
    if (!hook || performance.now() - hook.created > HOOK_TTL_MS) return new Answer(404, { ok: false, error: 'expired_url' });
    if (hook.uses >= HOOK_USES) return new Answer(404, { ok: false, error: 'used_url' });
    let body: Json;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      return new Answer(400, { ok: false, error: 'invalid_payload' });
    }
    if (body.response_type !== undefined && body.response_type !== 'ephemeral' && body.response_type !== 'in_channel') return new Answer(400, { ok: false, error: 'invalid_response_type' });
    const problem = validate(`response_url ${id}`, body);
    if (problem) return new Answer(400, { ok: false, error: problem.error });
    hook.uses++;
    hookPosts.push({ hook: id, body, at: performance.now() });
    return new Answer(200, { ok: true });
  }

  function newHook(): string {
    const id = `${++idCounter}${randomBytes(4).toString('hex')}`;
    hooks.set(id, { uses: 0, created: performance.now() });
    return id;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wsBase = url.replace('http:', 'ws:');

  // ---- Slack's other half: signed requests to the bot ----
  function sign(raw: string, options: SignOptions = {}): Record<string, string> {
    return signRequest(raw, options.secret ?? signingSecret, options);
  }

  function commandPayload(input: CommandInput): { form: Record<string, string>; hook: string } {
    const hook = newHook();
    return { form: commandForm(input, { responseUrl: `${url}/hooks/${hook}`, triggerId: input.triggerId ?? newTriggerId() }), hook };
  }

  function actionPayload(input: ActionInput): { payload: Json; hook: string } {
    const hook = newHook();
    return { payload: blockActionPayload(input, { responseUrl: `${url}/hooks/${input.deadResponseUrl ? 'expired0' : hook}`, triggerId: newTriggerId() }), hook };
  }

  function newTriggerId(): string {
    return `${++idCounter}.${randomBytes(4).toString('hex')}`;
  }

  async function post(endpoint: string, raw: string, hook: string, kind: string, options: SignOptions): Promise<SentRequest> {
    const started = performance.now();
    const response = await fetch(endpoint, { method: 'POST', headers: sign(raw, options), body: raw });
    const text = await response.text();
    const ms = performance.now() - started;
    const body = text ? (JSON.parse(text) as Json) : null;
    if (response.status === 200) {
      acks.push({ kind, body });
      if (ms > 3000) rejected.push({ where: `${kind} ack`, error: 'operation_timeout', problems: [`acknowledged after ${Math.round(ms)} ms`] });
      if (body && kind === 'command') validate(`${kind} ack`, body);
      if (body && kind === 'action') rejected.push({ where: 'action ack', error: 'invalid_ack', problems: ['a block action ack must be empty'] });
    }
    return { status: response.status, body, ms, hook };
  }

  // ---- Socket Mode ----
  const socketMode = new FakeSocketMode(server, '/link/');

  return {
    url,
    apiUrl: `${url}/api/`,
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    signingSecret,
    botUserId: BOT_USER_ID,
    messages,
    ephemerals,
    hookPosts,
    acks,
    rejected,
    rateLimited,
    unknownMethods,
    calls,
    /** Makes a channel answer like one that was deleted, archived, or is private without the bot. */
    setChannel(id: string, state: 'missing' | 'archived' | 'not_in_channel' | 'ok') {
      if (state === 'ok') channelState.delete(id);
      else channelState.set(id, state);
    },
    /** The next `times` calls of `method` answer HTTP `status`, a platform `error`, or 429 with `retryAfter`. */
    failNext(method: string, failure: Failure, times = 1) {
      failures.push({ method, failure, remaining: times });
    },
    clearFailures() {
      failures.length = 0;
    },
    /** Top-level messages in a channel, oldest first. */
    topLevel(channel: string): FakeMessage[] {
      return messages.filter((m) => m.channel === channel && m.threadTs === null);
    },
    replies(channel: string, threadTs: string): FakeMessage[] {
      return messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
    },
    hookPostsFor(hook: string): Json[] {
      return hookPosts.filter((p) => p.hook === hook).map((p) => p.body);
    },
    sign,
    /** POSTs a signed `/papers <text>` to the bot's endpoint, as Slack does. */
    async command(endpoint: string, input: CommandInput, options: SignOptions = {}): Promise<SentRequest & { raw: string }> {
      const { form, hook } = commandPayload(input);
      const raw = options.raw ?? new URLSearchParams(form).toString();
      return { ...(await post(endpoint, raw, hook, 'command', options)), raw };
    },
    /** POSTs a signed block action (a button press) to the bot's endpoint. */
    async action(endpoint: string, input: ActionInput, options: SignOptions = {}): Promise<SentRequest> {
      const { payload, hook } = actionPayload(input);
      return post(endpoint, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), hook, 'action', options);
    },
    /** A signed command request, not sent (for load tests that send from elsewhere). */
    signedCommand(input: CommandInput): { raw: string; headers: Record<string, string>; hook: string } {
      const { form, hook } = commandPayload(input);
      const raw = new URLSearchParams(form).toString();
      return { raw, headers: sign(raw), hook };
    },
    socket: {
      connections: socketMode.connections,
      /** Delivers a slash command over Socket Mode; resolves with the ack's payload. */
      async command(input: CommandInput, retryAttempt = 0): Promise<{ payload: Json | null; hook: string; ms: number }> {
        const { form, hook } = commandPayload(input);
        const started = performance.now();
        const payload = await socketMode.send('slash_commands', form, retryAttempt);
        if (payload) validate('socket ack', payload);
        return { payload, hook, ms: performance.now() - started };
      },
      async action(input: ActionInput): Promise<{ payload: Json | null; hook: string }> {
        const { payload, hook } = actionPayload(input);
        return { payload: await socketMode.send('interactive', payload), hook };
      },
    },
    async close() {
      socketMode.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

function answer(res: ServerResponse, reply: { status: number; body: Json; headers: Record<string, string> }): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The methods paperboy calls that accept a JSON body (Slack's write methods). */
const JSON_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.delete']);

const BOOLEAN_ARGS = new Set(['unfurl_links', 'unfurl_media', 'include_all_metadata', 'mrkdwn', 'reply_broadcast', 'link_names', 'as_user']);

/** Web API arguments: form-encoded (objects as JSON strings, as @slack/web-api sends them) or JSON. */
function parseArgs(contentType: string | undefined, raw: string): Json {
  if (contentType?.startsWith('application/json')) return raw ? (JSON.parse(raw) as Json) : {};
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if ((key === 'blocks' || key === 'metadata' || key === 'attachments') && /^[[{]/.test(value)) args[key] = JSON.parse(value);
    else if (BOOLEAN_ARGS.has(key) && (value === 'true' || value === 'false')) args[key] = value === 'true';
    else args[key] = value;
  }
  return args;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
