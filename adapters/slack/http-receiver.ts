import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { Route } from '../../src/server.js';
import type { Clock } from '../../src/time.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { deliveryKey, parseEnvelope } from './inbound.js';
import { checkSlackSignature } from './signature.js';
import { readBody } from '../../src/http/read-body.js';

export const EVENTS_PATH = '/slack/events';

/** Slash commands and interactions are a few kB; anything near this is not from Slack. */
const MAX_BODY_BYTES = 512 * 1024;

export interface HttpReceiverDeps extends DispatchDeps {
  signingSecret: string;
  clock: Clock;
  logger: Logger;
}

/**
 * Bolt's receiver for HTTP mode, on the shared server (DESIGN §4) instead of a port of its own:
 * `POST /slack/events` checks the signature on the raw bytes with the injected clock (bad or older than five
 * minutes → 401), answers Slack's `ssl_check` and `url_verification`, and hands everything else to Bolt,
 * whose listener's `ack` becomes this HTTP response.
 */
export class SharedServerReceiver implements Receiver {
  private app: App | null = null;
  private accepting = false;

  constructor(private readonly deps: HttpReceiverDeps) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.accepting = true;
  }

  async stop(): Promise<void> {
    this.accepting = false;
  }

  route(): Route {
    return { method: 'POST', path: EVENTS_PATH, handler: (req, res) => this.handle(req, res) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.deps;
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === null) return send(res, 413, { error: 'body_too_large' });
    const check = checkSlackSignature(this.deps.signingSecret, header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), raw, this.deps.clock());
    if (check !== 'ok') {
      logger.warn({ reason: check }, 'slack: rejected a request with a bad signature');
      return send(res, 401, { error: 'invalid_signature' });
    }
    const body = parseEnvelope(header(req, 'content-type'), raw);
    if (!body) return send(res, 400, { error: 'invalid_body' });
    if (body.ssl_check === '1') return send(res, 200, undefined);
    if (body.type === 'url_verification') return send(res, 200, { challenge: typeof body.challenge === 'string' ? body.challenge.slice(0, 200) : '' });
    // Not started (or stopping): Slack retries events; a command gets its usual "didn't respond" error.
    if (!this.accepting || !this.app) return send(res, 503, { error: 'not_ready' });

    const retryNum = Number(header(req, 'x-slack-retry-num'));
    await dispatch(this.app, this.deps, { body, key: deliveryKey(body, raw), retryNum: Number.isInteger(retryNum) ? retryNum : undefined, retryReason: header(req, 'x-slack-retry-reason') }, (ack) => send(res, 200, ack));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown> | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (res.headersSent) return resolve();
    if (body === undefined) {
      res.writeHead(status).end(() => resolve());
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body), () => resolve());
  });
}
