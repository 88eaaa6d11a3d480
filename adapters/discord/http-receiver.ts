import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/logger.js';
import type { Route } from '../../src/server.js';
import type { Clock } from '../../src/time.js';
import type { InteractionResponse } from './api.js';
import { parseInteraction } from './inbound.js';
import type { InteractionHandler } from './dispatch.js';
import { checkSignature } from './signature.js';
import { readBody } from '../../src/http/read-body.js';

export const INTERACTIONS_PATH = '/discord/interactions';

/** Interactions are small; anything bigger is not from Discord. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface InteractionRouteDeps {
  publicKey: KeyObject;
  handler: InteractionHandler;
  clock: Clock;
  logger: Logger;
}

/**
 * `POST /discord/interactions` (DESIGN §4): verify the Ed25519 signature on the raw bytes, validate the body,
 * answer PING with PONG and everything else through the shared handler, whose first answer is this response.
 */
export function interactionRoute(deps: InteractionRouteDeps): Route {
  return {
    method: 'POST',
    path: INTERACTIONS_PATH,
    handler: async (req, res) => {
      const raw = await readBody(req, MAX_BODY_BYTES);
      if (raw === null) return sendJson(res, 413, { error: 'body_too_large' });
      const check = checkSignature(deps.publicKey, header(req, 'x-signature-ed25519'), header(req, 'x-signature-timestamp'), raw, deps.clock());
      if (check !== 'ok') {
        deps.logger.warn({ reason: check }, 'discord: rejected an interaction with a bad signature');
        return sendJson(res, 401, { error: 'invalid_signature' });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'invalid_json' });
      }
      const interaction = parseInteraction(body);
      if (!interaction) return sendJson(res, 400, { error: 'invalid_interaction' });
      await deps.handler.handle(interaction, (response: InteractionResponse) => sendJson(res, 200, response));
      if (!res.headersSent) sendJson(res, 500, { error: 'unanswered' });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body), () => resolve());
  });
}
