import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { errorMessage } from '../../src/errors.js';
import { redactUrlsIn } from '../../src/http/redact-url.js';
import { LazyAgent } from '../../src/http/undici.js';

/** What one Web API request came to; SlackApi decides what to retry. */
export type WebApiAnswer =
  | { kind: 'ok'; body: Record<string, unknown> }
  /** HTTP 200 with `ok: false`: Slack's error code (`channel_not_found`, `invalid_auth`, …). */
  | { kind: 'platform'; code: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'http'; status: number }
  /** No answer: connection refused or dropped, a timeout, or a body that is not the Web API's JSON. */
  | { kind: 'network'; detail: string };

export interface WebApiTransportOptions {
  /** SLACK_API_URL, ending in `/`. */
  baseUrl: string;
  token: string;
  /** Headers and body of one request (default 10 s). */
  timeoutMs?: number;
}

/** Methods that take a JSON body (Slack's write methods); the rest take form fields, as Slack requires. */
const JSON_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);

/** A history page is the largest answer paperboy asks for: well under this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

const envelope = z.looseObject({ ok: z.boolean(), error: z.string().optional() });

/**
 * The Slack Web API over undici: one POST per call, no retries (SlackApi owns those). Why not @slack/web-api's
 * WebClient, which Bolt still uses for its own calls: per call it serialises the body three times for debug lines
 * that are off, redacts it with regular expressions and wraps the answer, ~0.2 ms of CPU plus garbage each; a
 * digest to 1,000 channels is 11,000 calls, and that CPU is what spreads the first posts out and widens every
 * channel's one-second gaps. Here a post is one JSON.stringify and one JSON.parse.
 */
export class WebApiTransport {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly authorization: string;
  /** Why no request can be made (fetch refuses the same URLs), or null. */
  private readonly refusal: string | null;
  private readonly agent: LazyAgent;

  constructor(options: WebApiTransportOptions) {
    const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.origin = base.origin;
    this.basePath = base.pathname;
    this.refusal = base.username || base.password ? 'a request cannot be made to a URL that includes credentials' : null;
    this.authorization = `Bearer ${options.token}`;
    this.agent = new LazyAgent(options.timeoutMs ?? 10_000);
  }

  async call(method: string, args: Record<string, unknown>): Promise<WebApiAnswer> {
    if (this.refusal) return { kind: 'network', detail: this.refusal };
    const json = JSON_METHODS.has(method);
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await (await this.agent.get()).request({
        origin: this.origin,
        path: `${this.basePath}${method}`,
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
          'user-agent': 'paperboy',
        },
        body: json ? JSON.stringify(args) : formBody(args),
      });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      text = await readText(response.body);
    } catch (error) {
      // undici's messages can quote the request URL, credentials included.
      return { kind: 'network', detail: redactUrlsIn(errorMessage(error)) };
    }
    if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(retryAfter) };
    if (status !== 200) return { kind: 'http', status };
    let parsed: z.output<typeof envelope>;
    try {
      parsed = envelope.parse(JSON.parse(text));
    } catch {
      return { kind: 'network', detail: `${method} answered HTTP 200 with a body that is not the Web API's JSON` };
    }
    if (!parsed.ok) return { kind: 'platform', code: parsed.error ?? 'unknown_error' };
    return { kind: 'ok', body: parsed };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Form fields as Slack reads them: objects and arrays (blocks, metadata) as JSON text, undefined left out. */
function formBody(args: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    form.append(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

async function readText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new Error(`answer larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After in seconds (at least one), as Slack sends it; missing or unreadable counts as one second. */
function retryAfterMs(header: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Math.max(1, Number.isFinite(seconds) ? seconds : 1) * 1000;
}
