/**
 * The bench's stand-in for Slack sending slash commands, in its own process (Slack is remote) so the client's
 * work doesn't queue behind the bot's on one event loop:
 *   run-ts bench/slack-load.ts <plan.json>
 * The plan holds the endpoint and rounds of pre-signed requests; each round is sent all at once, after the sender
 * has warmed itself up on a server of its own (`warmUpSender`). Prints one
 * `RESULT {json}` line: per request, milliseconds from sending to the full acknowledgement, when it was sent, status
 * and body.
 */
import { readFileSync } from 'node:fs';
import { Agent, sendRound, warmUpSender, type RoundAnswer } from './lib/send-round.js';

export interface SlackLoadPlan {
  endpoint: string;
  rounds: { raw: string; headers: Record<string, string> }[][];
  /** Quiet time after each round's acknowledgements, for its answers to go out: each round is its own burst. */
  pauseMs: number;
}

export interface SlackLoadResult {
  answers: RoundAnswer[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SlackLoadPlan;
const answers: SlackLoadResult['answers'] = [];
const first = plan.rounds[0]![0]!;
await warmUpSender({ url: plan.endpoint, method: 'POST', headers: first.headers, body: first.raw }, plan.rounds[0]!.length);
// The first round (not counted) opens the connections.
const agent = new Agent();
for (const round of plan.rounds) {
  answers.push(...(await sendRound(agent, round.map(({ raw, headers }) => ({ url: plan.endpoint, method: 'POST', headers, body: raw })))));
  await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
}
await agent.close();
process.stdout.write(`RESULT ${JSON.stringify({ answers } satisfies SlackLoadResult)}\n`);
