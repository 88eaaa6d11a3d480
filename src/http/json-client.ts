import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { PaperboyError } from '../errors.js';
import { systemClock, type Clock } from '../time.js';
import { httpError, isHttpError, oneLine, shorten, withAttempts, type HttpErrorDetails } from './http-error.js';
import { describeIssues } from './issues.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, isRetryableStatus, serverRetryHint } from './retry.js';
import { loadUndici } from './undici.js';
import { realSleep, type Sleep } from './sleep.js';

export interface JsonClientOptions {
  /** Human name used in error messages, e.g. "Hugging Face". */
  service: string;
  /** Scheme, host and optional path prefix; a trailing slash is ignored. */
  baseUrl: string;
  /** Sent with every request (e.g. `authorization`); never echoed into errors or logs. */
  headers?: Record<string, string>;
  userAgent?: string;
  /** TCP/TLS connect timeout per attempt (default 10 s). */
  connectTimeoutMs?: number;
  /** Total time for one attempt, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Attempts per call, first one included (default 4). */
  maxAttempts?: number;
  /** Most time one call may spend waiting between attempts, server hints included (default 60 s). */
  maxRetryWaitMs?: number;
  /** Largest body accepted (default 32 MiB). */
  maxBodyBytes?: number;
  /** Backoff without server hints: first step and ceiling (defaults 500 ms and 8 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  sleep?: Sleep;
  clock?: Clock;
  random?: () => number;
  limiter?: RateLimiter;
  /** Defaults to a dedicated undici Agent owned (and closed) by this client. */
  dispatcher?: Dispatcher;
  onRetry?: (event: RetryEvent) => void;
  /** `accept` header (default `application/json`). */
  accept?: string;
  /**
   * Reads an error answer's body (at most 64 KiB) into the one-line detail of the error, for APIs that say what
   * was wrong in the body (arXiv's `Error` entry); null keeps the default.
   */
  errorDetail?: (body: string) => string | null;
}

export interface RetryEvent {
  target: string;
  attempt: number;
  delayMs: number;
  error: PaperboyError;
}

export type Query = Record<string, string | number | undefined>;

export interface JsonClient {
  /** GET `path?query` and parse the body with `schema`; throws a PaperboyError with an `http_*` code. */
  getJson<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T>;
  /** Like getJson, but HTTP 404 is an answer: null. */
  getJsonOrNull<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T | null>;
  /** GET `path?query` and read the body with `decode`; what `decode` throws becomes an `http_bad_body` error. */
  getDecoded<T>(path: string, decode: (body: string) => T, query?: Query): Promise<T>;
  close(): Promise<void>;
}

interface Failure {
  error: PaperboyError;
  retryable: boolean;
  /** Wait the server asked for, in ms. */
  hintMs: number | null;
  detail: string;
}

const NOT_FOUND = Symbol('not found');

export function createJsonClient(options: JsonClientOptions): JsonClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? systemClock;
  const backoff = { baseMs: options.backoffBaseMs ?? 500, capMs: options.backoffCapMs ?? 8_000, random: options.random ?? Math.random };
  let ownAgent: Dispatcher | null = null;
  const dispatcherFor = (undici: typeof Undici): Dispatcher =>
    options.dispatcher ?? (ownAgent ??= new undici.Agent({ connect: { timeout: connectTimeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }));
  const headers: Record<string, string> = {
    accept: options.accept ?? 'application/json',
    'user-agent': options.userAgent ?? 'paperboy',
    ...lowerKeys(options.headers ?? {}),
  };

  async function call<T>(path: string, decode: Decode<T>, query: Query | undefined, allow404: boolean): Promise<T | typeof NOT_FOUND> {
    const target = buildTarget(path, query);
    const details: HttpErrorDetails = { service: options.service, target };
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      await options.limiter?.take();
      let outcome: Outcome;
      try {
        outcome = await attemptOnce(target, details, allow404);
      } finally {
        options.limiter?.release?.();
      }
      if (outcome.kind === 'ok') return decode(outcome.text, outcome.contentType, details);
      if (outcome.kind === 'not-found') return NOT_FOUND;
      const failure = outcome.failure;
      const done = (extra?: Partial<HttpErrorDetails>) => withAttempts(failure.error, { ...details, attempts: attempt, ...extra }, failure.detail);
      if (!failure.retryable || attempt >= maxAttempts) throw done();
      // A zero hint (`t=0`) would burn attempts at once; back off instead.
      const delay = failure.hintMs || backoffDelay(attempt, backoff);
      // A server asking for longer than the budget allows is an answer: give up now, saying when to retry.
      if (waited + delay > maxRetryWaitMs) throw done(failure.hintMs !== null ? { retryAfterMs: failure.hintMs } : {});
      options.onRetry?.({ target, attempt, delayMs: delay, error: failure.error });
      waited += delay;
      await sleep(delay);
    }
  }

  type Outcome = { kind: 'ok'; text: string; contentType: string } | { kind: 'not-found' } | { kind: 'failed'; failure: Failure };

  async function attemptOnce(target: string, details: HttpErrorDetails, allow404: boolean): Promise<Outcome> {
    const undici = await loadUndici();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TotalTimeout()), timeoutMs);
    try {
      const response = await undici.request(`${base}${target}`, {
        method: 'GET',
        headers,
        dispatcher: dispatcherFor(undici),
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        const text = await readCapped(response.body, maxBodyBytes, details);
        return { kind: 'ok', text, contentType: headerValue(response.headers['content-type']) ?? 'no content type' };
      }
      const explained = options.errorDetail ? options.errorDetail(await readCapped(response.body, 64 * 1024, details).catch(() => '')) : null;
      if (!options.errorDetail) await response.body.dump().catch(() => undefined);
      if (status === 404 && allow404) return { kind: 'not-found' };
      const hintMs = serverRetryHint(status, flatHeaders(response.headers), clock());
      const detail = explained ? shorten(oneLine(explained), 200) : status === 429 ? 'rate limited' : '';
      const error = httpError('http_status', detail, { ...details, status, ...(hintMs !== null ? { retryAfterMs: hintMs } : {}) });
      return { kind: 'failed', failure: { error, retryable: isRetryableStatus(status), hintMs, detail } };
    } catch (error) {
      if (isHttpError(error)) throw error;
      return { kind: 'failed', failure: classifyThrown(error, controller.signal.aborted, details) };
    } finally {
      clearTimeout(timer);
    }
  }

  function classifyThrown(error: unknown, timedOut: boolean, details: HttpErrorDetails): Failure {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_INVALID_ARG') throw error;
    if (timedOut || error instanceof TotalTimeout || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      const what = code === 'UND_ERR_CONNECT_TIMEOUT' ? `no connection within ${connectTimeoutMs} ms` : `no complete answer within ${timeoutMs} ms`;
      return { error: httpError('http_timeout', what, { ...details, cause: error }), retryable: true, hintMs: null, detail: what };
    }
    const what = typeof code === 'string' ? code : shorten(oneLine(error instanceof Error ? error.message : String(error)), 80);
    return { error: httpError('http_network', what, { ...details, cause: error }), retryable: true, hintMs: null, detail: what };
  }

  return {
    async getJson<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T> {
      const result = await call(path, jsonDecoder(schema), query, false);
      if (result === NOT_FOUND) throw new Error('unreachable: 404 is an error here');
      return result;
    },
    async getJsonOrNull<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T | null> {
      const result = await call(path, jsonDecoder(schema), query, true);
      return result === NOT_FOUND ? null : result;
    },
    async getDecoded<T>(path: string, decode: (body: string) => T, query?: Query): Promise<T> {
      const result = await call(path, customDecoder(decode), query, false);
      if (result === NOT_FOUND) throw new Error('unreachable: 404 is an error here');
      return result;
    },
    async close() {
      await ownAgent?.close();
    },
  };
}

class TotalTimeout extends Error {
  constructor() {
    super('total timeout');
  }
}

type Decode<T> = (text: string, contentType: string, details: HttpErrorDetails) => T;

function jsonDecoder<T>(schema: z.ZodType<T>): Decode<T> {
  return (text, contentType, details) => parseBody(text, contentType, schema, details);
}

function customDecoder<T>(decode: (body: string) => T): Decode<T> {
  return (text, _contentType, details) => {
    try {
      return decode(text);
    } catch (cause) {
      if (isHttpError(cause)) throw cause;
      throw httpError('http_bad_body', shorten(oneLine(cause instanceof Error ? cause.message : String(cause)), 200), { ...details, cause });
    }
  };
}

function parseBody<T>(text: string, contentType: string, schema: z.ZodType<T>, details: HttpErrorDetails): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const what = text.trim() === '' ? 'empty body' : `not JSON (${contentType.split(';')[0]}${looksLikeHtml(text) ? ', an HTML page' : ''})`;
    throw httpError('http_bad_body', what, { ...details, cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw httpError('http_bad_body', describeIssues(result.error.issues), { ...details, cause: result.error });
  return result.data;
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number, details: HttpErrorDetails): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > max) {
      body.destroy();
      throw httpError('http_bad_body', `body larger than ${max} bytes`, details);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function buildTarget(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(?:!doctype|html|head|body)/i.test(text);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = headerValue(value);
  return out;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
