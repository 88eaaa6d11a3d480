/**
 * The bench's stand-in for Discord sending interactions, in its own process (Discord is remote) so the client's
 * work doesn't queue behind the bot's on one event loop:
 *   run-ts bench/discord-load.ts <plan.json>
 * The plan holds rounds of prepared requests (pre-signed where they need it); each round is sent all at once,
 * after the sender has warmed itself up on a server of its own (`warmUpSender`).
 * Prints one `RESULT {json}` line: per request, milliseconds from sending to the full answer, status and body.
 */
import { readFileSync } from 'node:fs';
import { Agent, sendRound, warmUpSender, type RoundAnswer } from './lib/send-round.js';

export interface PlannedRequest {
  url: string;
  method: 'GET' | 'POST';
  raw?: string;
  headers?: Record<string, string>;
}

export interface LoadPlan {
  rounds: PlannedRequest[][];
}

export interface LoadResult {
  answers: RoundAnswer[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const answers: LoadResult['answers'] = [];
const first = plan.rounds[0]![0]!;
await warmUpSender({ url: first.url, method: first.method, headers: first.headers, body: first.raw }, plan.rounds[0]!.length);
const agent = new Agent();
for (const round of plan.rounds) {
  answers.push(...(await sendRound(agent, round.map(({ url, method, raw, headers }) => ({ url, method, headers, body: raw })))));
}
await agent.close();
const result: LoadResult = { answers };
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
