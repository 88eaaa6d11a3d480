/**
 * The bench's stand-in for Slack sending slash commands, in its own process (Slack is remote) so the client's
 * work doesn't queue behind the bot's on one event loop:
 *   run-ts bench/slack-load.ts <plan.json>
 * The plan holds the endpoint and rounds of pre-signed requests; each round is sent all at once. Prints one
 * `RESULT {json}` line: per request, milliseconds from sending to the full acknowledgement, when it was sent, status
 * and body.
 */
import { readFileSync } from 'node:fs';

export interface SlackLoadPlan {
  endpoint: string;
  rounds: { raw: string; headers: Record<string, string> }[][];
  /** Quiet time after each round's acknowledgements, for its answers to go out: each round is its own burst. */
  pauseMs: number;
}

export interface SlackLoadResult {
  /** `sentAt`: epoch ms (performance.timeOrigin + now), to line up with another process's clock. */
  answers: { ms: number; sentAt: number; status: number; body: unknown }[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SlackLoadPlan;
const answers: SlackLoadResult['answers'] = [];
for (const round of plan.rounds) {
  const results = await Promise.all(
    round.map(async ({ raw, headers }) => {
      const started = performance.now();
      const response = await fetch(plan.endpoint, { method: 'POST', headers, body: raw });
      const text = await response.text();
      return { ms: performance.now() - started, sentAt: performance.timeOrigin + started, status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    }),
  );
  answers.push(...results);
  await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
}
process.stdout.write(`RESULT ${JSON.stringify({ answers } satisfies SlackLoadResult)}\n`);
