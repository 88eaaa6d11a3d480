/**
 * A loopback fake of an OpenAI-compatible server: `POST /v1/chat/completions` and `GET /v1/models` with the real
 * response shapes.
 * It checks `Authorization: Bearer <key>`, records every request (unknown routes too, answered 404) and is
 * scriptable per test: a queue of one-off replies in front of a default reply, either of which may be a
 * function of the request.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/**
 * One scripted answer. `delayMs` holds the response back (to run past a client's timeout). `usage` sets the
 * token counts (default: about 4 characters a token, as the real API roughly counts); null leaves `usage` out,
 * as some local servers do.
 */
export type FakeReply =
  | { content: string | null; finishReason?: string; usage?: Partial<Usage> | null; delayMs?: number }
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { rawBody: string; status?: number; delayMs?: number };

export type FakeResponder = FakeReply | ((request: ChatRequest) => FakeReply | Promise<FakeReply>);

export interface FakeOpenAI {
  /** Base URL including `/v1`, as OPENAI_BASE_URL expects. */
  readonly baseURL: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests to routes the fake does not implement (each was answered 404). */
  readonly unknownRoutes: RecordedRequest[];
  /** Bodies of the chat-completion requests that passed authentication. */
  chatRequests(): ChatRequest[];
  /** The reply for every request that no `replyOnce` is queued for. */
  reply(responder: FakeResponder): void;
  /** Queues a reply for the next request only. */
  replyOnce(responder: FakeResponder): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** Expected bearer token; `null` accepts any (or none), like many local servers. Default `sk-test-key`. */
  apiKey?: string | null;
  reply?: FakeResponder;
  /** What `GET /v1/models` lists (default: `fake-mini`). */
  models?: string[];
  /**
   * The `response_format` types this server accepts (default all: `json_schema`, `json_object`); any other is
   * refused with 400 naming `response_format`, as servers without structured output do.
   */
  responseFormats?: string[];
}

export const FAKE_API_KEY = 'sk-test-key-0123456789abcdef';

/** A reply whose content is `value` as JSON. */
export function jsonReply(value: unknown, extra: { delayMs?: number; usage?: Partial<Usage> | null } = {}): FakeReply {
  return { content: JSON.stringify(value), ...extra };
}

/** A well-formed summary reply; `fields` override the summary's JSON fields. */
export function summaryReply(fields: Record<string, unknown> = {}, extra: { delayMs?: number; usage?: Partial<Usage> | null } = {}): FakeReply {
  return jsonReply(
    {
      tldr: 'The paper shows a method that works.',
      key_points: ['It has a method.', 'It has results.', 'It has code.'],
      why_it_matters: 'Engineers can use it.',
      ...fields,
    },
    extra,
  );
}

/** An OpenAI-style error reply. */
export function errorReply(status: number, message = 'The server had an error.', headers: Record<string, string> = {}): FakeReply {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, headers, body: { error: { message, type, param: null, code: null } } };
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey === undefined ? FAKE_API_KEY : options.apiKey;
  const requests: RecordedRequest[] = [];
  const unknownRoutes: RecordedRequest[] = [];
  const chats: ChatRequest[] = [];
  const queue: FakeResponder[] = [];
  let fallbackResponder: FakeResponder = options.reply ?? summaryReply();
  let completions = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      requests.push(recorded);
      void handle(recorded, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { error: { message: String(error), type: 'server_error' } });
      });
    });
  });

  async function handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const path = request.path.split('?')[0];
    const authorised = apiKey === null || request.headers.authorization === `Bearer ${apiKey}`;
    if (request.method === 'GET' && path === '/v1/models') {
      if (!authorised) return send(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      return send(res, 200, { object: 'list', data: (options.models ?? ['fake-mini']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      unknownRoutes.push(request);
      send(res, 404, { error: { message: `Unknown request URL: ${request.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    if (!authorised) {
      const given = /^Bearer (.*)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const masked = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(given.length - 7)}${given.slice(-4)}` : given;
      send(res, 401, {
        error: { message: `Incorrect API key provided: ${masked}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      });
      return;
    }
    const chat = request.body as ChatRequest | undefined;
    if (!chat || typeof chat !== 'object' || typeof chat.model !== 'string' || !Array.isArray(chat.messages)) {
      send(res, 400, { error: { message: 'Invalid request body', type: 'invalid_request_error' } });
      return;
    }
    const format = chat.response_format?.type;
    if (format !== undefined && !(options.responseFormats ?? ['json_schema', 'json_object']).includes(format)) {
      send(res, 400, { error: { message: `response_format type '${format}' is not supported by this server`, type: 'invalid_request_error', param: 'response_format', code: null } });
      return;
    }
    if (format === 'json_schema' && (typeof chat.response_format?.json_schema?.name !== 'string' || typeof chat.response_format.json_schema.schema !== 'object')) {
      send(res, 400, { error: { message: "response_format.json_schema needs 'name' and 'schema'", type: 'invalid_request_error', param: 'response_format', code: null } });
      return;
    }
    chats.push(chat);
    const responder = queue.shift() ?? fallbackResponder;
    const reply = typeof responder === 'function' ? await responder(chat) : responder;
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, reply.delayMs);
        timers.add(timer);
      });
      if (res.destroyed || res.writableEnded) return; // the client gave up
    }
    if ('rawBody' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(reply.rawBody);
    } else if ('status' in reply) {
      send(res, reply.status, reply.body ?? {}, reply.headers);
    } else {
      completions += 1;
      send(res, 200, completionBody(chat, reply, completions));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    unknownRoutes,
    chatRequests: () => chats.slice(),
    reply(responder) {
      fallbackResponder = responder;
    },
    replyOnce(responder) {
      queue.push(responder);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function completionBody(chat: ChatRequest, reply: { content: string | null; finishReason?: string; usage?: Partial<Usage> | null }, n: number) {
  const promptChars = chat.messages.reduce((sum, message) => sum + String(message.content ?? '').length, 0);
  const prompt_tokens = reply.usage?.prompt_tokens ?? Math.ceil(promptChars / 4);
  const completion_tokens = reply.usage?.completion_tokens ?? Math.ceil((reply.content ?? '').length / 4);
  return {
    id: `chatcmpl-fake${String(n).padStart(6, '0')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    system_fingerprint: 'fp_fake',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: reply.finishReason ?? 'stop',
      },
    ],
    ...(reply.usage === null ? {} : { usage: usageBody(prompt_tokens, completion_tokens) }),
  };
}

/** `usage` as OpenAI reports it: `total_tokens` is what a call costs. */
function usageBody(prompt_tokens: number, completion_tokens: number) {
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${Date.now()}`, ...headers });
  res.end(JSON.stringify(body));
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
