import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeInteraction } from '../test/fakes/discord-api.js';
import { startHarness, type Harness } from '../test/fixtures/discord/harness.js';
import { benchPapers } from './lib/papers.js';
import type { LoadPlan, LoadResult, PlannedRequest } from './discord-load.js';
import { percentile } from './lib/stats.js';
import { distinctQueries } from './lib/distinct-queries.js';
import { runBenchChild } from './lib/run-child.js';
import { REAL_QUERIES, seedRealPapers } from './real-papers.js';

const LOAD_CHILD = fileURLToPath(new URL('./discord-load.ts', import.meta.url));

/** Without the real archive: queries that match the generated papers. */
const SEARCHES = ['sparse attention', 'grokking', 'diffusion models', 'long-context reasoning', '"vision language"', 'agents -alignment', 'retrieval OR scaling', 'efficient'];

export interface LatencyRow {
  workload: string;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  deferred: number;
  failed: number;
}

/**
 * Rounds of `concurrency` simultaneous requests to the shared HTTP server, from a separate process: a bare
 * `GET /healthz` (what this machine and server cost without us), signed `/papers help` (verification, parsing,
 * answering) and signed `/papers <search>` (plus the core's search). Round 0 warms the bot up and isn't counted;
 * the sending process warms itself up before it, without the bot.
 */
export async function measureInteractionLatency(rounds: number, concurrency: number): Promise<LatencyRow[]> {
  // Hundreds of requests from one user: the per-person command limit is off, as it measures something else.
  const h = await startHarness({ env: { COMMANDS_PER_MINUTE: '0' } });
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  try {
    const real = await seedRealPapers(h.store);
    if (!real) await h.seedDay('2026-05-18', benchPapers(200));
    const searches = real ? REAL_QUERIES : SEARCHES;
    console.log(`  commands search ${real ? `${(await h.store.countPapers()).toLocaleString('en-US')} real papers` : '200 generated papers'}`);
    const channel = h.discord.addChannel();
    const base = h.endpoint.replace('/discord/interactions', '');
    const signed = (text: string) => h.discord.signedRequest(h.discord.interaction.command(channel, text));
    const distinct = distinctQueries((rounds + 1) * concurrency);
    const workloads: { name: string; request: (i: number) => { planned: PlannedRequest; interaction?: FakeInteraction } }[] = [
      { name: 'GET /healthz (floor)', request: () => ({ planned: { url: `${base}/healthz`, method: 'GET' } }) },
      { name: '/papers help', request: () => interactionRequest(h, signed('help')) },
      { name: '/papers <search>', request: (i) => interactionRequest(h, signed(searches[i % searches.length]!)) },
      { name: '/papers <distinct search>, no cache hits', request: (i) => interactionRequest(h, signed(distinct[i % distinct.length]!)) },
    ];
    const rows: LatencyRow[] = [];
    for (const workload of workloads) {
      process.stdout.write(`  ${workload.name}: ${rounds} rounds of ${concurrency} at once… `);
      const made = Array.from({ length: rounds + 1 }, (_, r) => Array.from({ length: concurrency }, (_, i) => workload.request(r * concurrency + i)));
      const file = join(dir, 'plan.json');
      const plan: LoadPlan = { rounds: made.map((round) => round.map((m) => m.planned)) };
      writeFileSync(file, JSON.stringify(plan));
      const { answers } = (await runBenchChild(LOAD_CHILD, [file])) as LoadResult;
      const interactions = made.flat().map((m) => m.interaction);
      let deferred = 0;
      let failed = 0;
      answers.forEach((answer, i) => {
        const body = answer.body as { type: number; data?: Record<string, unknown> } | null;
        const interaction = interactions[i];
        // The fake checks each answer as Discord would (limits, mentions) and enables follow-ups for deferrals.
        if (answer.status !== 200 || (interaction && (!body || h.discord.recordResponse(interaction, body, answer.ms) !== null))) failed++;
        if (body?.type === 5) deferred++;
      });
      await h.adapter.idle();
      // A deferred answer counts once it is complete: `@original` edited with the answer.
      failed += interactions.filter((interaction) => interaction?.response?.type === 5 && !interaction.original?.edits.length).length;
      const samples = answers.slice(concurrency).map((a) => a.ms).sort((a, b) => a - b);
      rows.push({ workload: workload.name, requests: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)!, deferred, failed });
      console.log(`p99 ${percentile(samples, 99).toFixed(0)} ms`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  }
}

function interactionRequest(h: Harness, signed: ReturnType<Harness['discord']['signedRequest']>) {
  return { planned: { url: h.endpoint, method: 'POST' as const, raw: signed.raw, headers: signed.headers }, interaction: signed.interaction };
}

