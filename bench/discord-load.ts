/**
 * The bench's stand-in for Discord sending interactions, in its own process (Discord is remote) so the client's
 * work doesn't queue behind the bot's on one event loop:
 *   run-ts bench/discord-load.ts <plan.json>
 * The plan holds rounds of prepared requests (pre-signed where they need it); each round is sent all at once.
 * Prints one `RESULT {json}` line: per request, milliseconds from sending to the full answer, status and body.
 */
import { readFileSync } from 'node:fs';

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
  answers: { ms: number; status: number; body: unknown }[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const answers: LoadResult['answers'] = [];
for (const round of plan.rounds) {
  const results = await Promise.all(
    round.map(async ({ url, method, raw, headers }) => {
      const started = performance.now();
      const response = await fetch(url, { method, headers, body: raw });
      const text = await response.text();
      return { ms: performance.now() - started, status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    }),
  );
  answers.push(...results);
}
const result: LoadResult = { answers };
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
