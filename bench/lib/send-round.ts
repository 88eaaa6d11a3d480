import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

/** One request a load child sends, as the platform would (pre-signed where it needs it). */
export interface OutgoingRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface RoundAnswer {
  /** From sending to the full answer. */
  ms: number;
  /** Epoch ms (performance.timeOrigin + now), to line up with another process's clock. */
  sentAt: number;
  status: number;
  body: unknown;
}

/**
 * Sends a round all at once through undici's `request` and reads every answer. Not `fetch`: against a server that
 * answers at once, 50 concurrent fetches measured 15–36 ms at p99 (their own setup, one after another on this
 * loop), `request` 7–17 ms; that time is the sender's, not the bot's, and it was counted as the bot's latency.
 * Connections are kept alive, as the platforms keep theirs: a first round opens them.
 */
export function sendRound(agent: Agent, round: readonly OutgoingRequest[]): Promise<RoundAnswer[]> {
  return Promise.all(
    round.map(async ({ url, method, headers, body }) => {
      const started = performance.now();
      const response = await request(url, { method, headers, body, dispatcher: agent });
      const text = await response.body.text();
      return { ms: performance.now() - started, sentAt: performance.timeOrigin + started, status: response.statusCode, body: text ? (JSON.parse(text) as unknown) : null };
    }),
  );
}

/** Rounds a load child sends to itself before its first timed round (see `warmUpSender`). */
const WARM_UP_ROUNDS = 20;

/**
 * Warms this process's own sending and reading up before anything is timed: against a server of its own (the bot
 * gets none of it), with answers the size of the bot's, rounds of `size` requests shaped like `sample`. A load
 * child is a fresh process, and its first few hundred requests ran unoptimised code, counted as the bot's latency:
 * against the bot, the slowest answer of each 50-request round fell from 64 to 15 ms over ten rounds of
 * `GET /healthz`, and the p99 of those rounds went from 64 to 24 ms once the sender had warmed up first.
 */
export async function warmUpSender(sample: OutgoingRequest, size: number, rounds = WARM_UP_ROUNDS): Promise<void> {
  const answer = JSON.stringify({ type: 4, data: { content: 'x'.repeat(4000) } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(sample.url).pathname}`;
  const agent = new Agent();
  try {
    for (let r = 0; r < rounds; r++) await sendRound(agent, Array.from({ length: size }, () => ({ ...sample, url })));
  } finally {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export { Agent };
