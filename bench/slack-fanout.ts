import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WORKSPACE_PER_MINUTE } from '../adapters/slack/adapter.js';
import type { ChannelRef } from '../src/channel.js';
import { deliverToChannels } from '../src/delivery/fan-out.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { checkMessage } from '../test/fixtures/slack/block-kit.js';
import { startHarness } from '../test/fixtures/slack/harness.js';
import type { BenchScenario } from './lib/scenario.js';
import { percentile } from './lib/stats.js';
import { checkAtMost, checkThat } from './lib/goals.js';
import { formatTable } from './lib/table.js';
import { collectGarbage } from './lib/memory.js';
import { REAL_QUERIES, seedRealPapers } from './real-papers.js';
import type { SlackLoadPlan, SlackLoadResult } from './slack-load.js';
import { distinctQueries } from './lib/distinct-queries.js';
import { benchPapers } from './lib/papers.js';
import { runBenchChild } from './lib/run-child.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { SubscriptionMatcher } from '../src/schedule/subscription-matcher.js';
import { ALERT_SUBSCRIPTIONS, openAlertStore } from './lib/alerts-store.js';
import { loadPools } from './search/corpus.js';

/**
 * Slack delivery against the Slack fake's per-channel limit (one chat.postMessage per second per channel,
 * 429 + Retry-After past it), through the real adapter (Bolt, @slack/web-api, our pacing) as production runs it:
 * 1. fan-out: a 10-paper digest to N channels (parent + 10 thread replies = 11 messages each); wall time against
 *    the floor the limit allows ((messages − 1) × 1 s, the channels running side by side), and 429s drawn;
 *    with the workspace cap off (the fake has none), then with the default cap on a smaller fan-out;
 * 2. ack latency: rounds of 50 concurrent signed `/papers <query>` to POST /slack/events, sent from a separate
 *    process (Slack is remote), timed from sending to the full acknowledgement; and to the answer, which is in the
 *    acknowledgement or, for commands that came in a burst, posted to the command's response_url right after;
 *    the same again while alert runs match 100k subscriptions in the same process, and during a fan-out of a
 *    10-paper digest to 1,000 channels through the same adapter (`--under-load-only`: just these two rows).
 *
 *   npm run bench -- slack-fanout [--channels 200] [--papers 10] [--cap-channels 30] [--rounds 10] [--concurrency 50] [--under-load-only]
 */
const LOAD_CHILD = fileURLToPath(new URL('./slack-load.ts', import.meta.url));
const INTERVAL_MS = 1000;
/** The fan-out that runs during a row of commands: as big as the fan-out goal's. */
const FAN_OUT_CHANNELS = 1_000;
const FAN_OUT_PAPERS = 10;

const scenario: BenchScenario = {
  description: 'Slack digest fan-out vs the 1 msg/s/channel floor; /papers ack latency under 50 concurrent',
  async run(args) {
    const options = parseArgs(args);
    const rows = [await runFanOut(options.channels, options.papers, null)];
    if (options.capChannels > 0) rows.push(await runFanOut(options.capChannels, options.papers, DEFAULT_WORKSPACE_PER_MINUTE));
    const latency = await runCommands(options.rounds, options.concurrency, options.underLoadOnly);

    console.log(
      formatTable(
        ['channels', 'workspace cap/min', 'messages', 'wall s', 'floor s', 'wall/floor', '429s', 'refused', 'channels ok'],
        rows.map((r) => [r.channels, r.cap ?? 'off', r.messages, r.wallMs / 1000, r.floorMs / 1000, r.wallMs / r.floorMs, r.rateLimited, r.refused, r.delivered]),
      ),
    );
    console.log(`\nFloor: ${options.papers} gaps of ${INTERVAL_MS / 1000} s per channel (channels run side by side); with the cap, also (messages − burst) ÷ rate. Target: wall ≤ 1.1 × floor.\n`);
    console.log(
      formatTable(
        ['commands', 'requests', 'concurrency', 'ack p50 ms', 'ack p99 ms', 'ack max ms', 'answered after ack', 'answer p50 ms', 'answer p99 ms', 'HF fallbacks', 'unanswered / refused'],
        latency.map((row) => [
          row.label,
          row.samples.length,
          options.concurrency,
          percentile(row.samples, 50),
          percentile(row.samples, 99),
          row.samples.at(-1)!,
          row.afterAck,
          percentile(row.answers, 50),
          percentile(row.answers, 99),
          row.fallbacks,
          row.failed,
        ]),
      ),
    );
    for (const row of latency) {
      checkAtMost(`Slack ack p99, ${row.label}, ${options.concurrency} concurrent`, percentile(row.samples, 99), 100);
      checkAtMost(`Slack commands unanswered or refused, ${row.label}`, row.failed, 0, 'commands');
    }
    console.log('\nTarget: ack p99 ≤ 100 ms. "Answer": from sending to the answer, in the ack or at the response_url.');
  },
};

export default scenario;

function parseArgs(args: readonly string[]) {
  const value = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  return { channels: value('channels', 200), papers: value('papers', 10), capChannels: value('cap-channels', 30), rounds: value('rounds', 10), concurrency: value('concurrency', 50), underLoadOnly: args.includes('--under-load-only') };
}

async function runFanOut(channelCount: number, paperCount: number, cap: number | null) {
  const day = '2026-05-18';
  // Production pacing and retries; the fake enforces Slack's per-channel limit.
  const h = await startHarness({ slack: { postIntervalMs: INTERVAL_MS }, adapter: { pacing: { intervalMs: INTERVAL_MS, workspacePerMinute: cap }, retry: {} } });
  try {
    await h.seedDay(day, benchPapers(paperCount));
    const channels: ChannelRef[] = Array.from({ length: channelCount }, (_, i) => ({ platform: 'slack', id: `C0BENCH${String(i).padStart(4, '0')}` }));
    const digest = (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: channels[0]!, workspace: LOCAL_WORKSPACE, size: paperCount, timeZone: 'UTC', day }))!;

    process.stdout.write(`  fan-out: ${paperCount} papers to ${channelCount} channels (workspace cap ${cap ?? 'off'})… `);
    const started = performance.now();
    const results = await deliverToChannels({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channels, async () => digest);
    const wallMs = performance.now() - started;
    console.log(`${(wallMs / 1000).toFixed(1)} s`);

    const messages = h.slack.messages.length;
    const perChannelFloor = paperCount * INTERVAL_MS;
    const burst = cap ? cap / 6 : 0;
    const capFloor = cap ? (Math.max(0, messages - burst) / (cap / 60)) * 1000 : 0;
    return {
      channels: channelCount,
      cap,
      messages,
      wallMs,
      floorMs: Math.max(perChannelFloor, capFloor),
      rateLimited: h.slack.rateLimited.length,
      refused: h.slack.rejected.length + h.slack.unknownMethods.length,
      delivered: results.filter((r) => 'outcome' in r && r.outcome.status === 'delivered').length,
    };
  } finally {
    await h.close();
  }
}

interface LatencyRow {
  label: string;
  /** Ack latencies, sorted. */
  samples: number[];
  /** Answer latencies, sorted. */
  answers: number[];
  /** Acked empty, answered at the response_url. */
  afterAck: number;
  /** No answer, or one Slack would refuse. */
  failed: number;
  /** Commands that had to wait for the Hugging Face fallback (the documented slow path). */
  fallbacks: number;
}

async function runCommands(rounds: number, concurrency: number, underLoadOnly: boolean): Promise<LatencyRow[]> {
  // Hundreds of requests from one user: the per-person command limit is off, as it measures something else.
  // Production pacing and retries against Slack's per-channel limit, for the row that fans out meanwhile.
  const h = await startHarness({ env: { COMMANDS_PER_MINUTE: '0' }, slack: { postIntervalMs: INTERVAL_MS }, adapter: { pacing: { intervalMs: INTERVAL_MS, workspacePerMinute: null }, retry: {} } });
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  try {
    const real = await seedRealPapers(h.store);
    if (!real) await h.seedDay('2026-05-18', benchPapers(200));
    const corpus = real ? `${(await h.store.countPapers()).toLocaleString('en-US')} real papers` : '200 generated papers';
    collectGarbage();
    const searches = process.env.BENCH_QUERY ? [process.env.BENCH_QUERY] : real ? REAL_QUERIES : ['sparse attention', 'grokking', 'diffusion models', 'long-context', 'vision', 'retrieval OR scaling', 'efficient', 'reasoning'];
    const rows: LatencyRow[] = [];
    const distinct = distinctQueries((rounds + 1) * concurrency);
    const workloads: [string, readonly string[]][] = [
      [`/papers <query>, ${corpus}`, searches],
      [`/papers <distinct query>, no cache hits`, distinct],
      ['/papers help (no search)', ['help']],
    ];
    const measure = async (label: string, texts: readonly string[]): Promise<void> => {
      const fallbacksBefore = h.hf.requests.length;
      const requests = Array.from({ length: rounds + 1 }, (_, r) =>
        Array.from({ length: concurrency }, (_, i) => h.slack.signedCommand({ text: texts[(r * concurrency + i) % texts.length]!, channel: `C0LOAD${String(i % 10).padStart(3, '0')}` })),
      );
      // Answers that follow their ack take a few ms each: a round's are out well within the pause, so each round
      // is a burst of `concurrency` commands, not more.
      const plan: SlackLoadPlan = { endpoint: h.endpoint, rounds: requests, pauseMs: 500 };
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify(plan));
      process.stdout.write(`  ${label}: ${rounds} rounds of ${concurrency} concurrent, from a separate client process… `);
      const { answers } = (await runBenchChild(LOAD_CHILD, [file])) as SlackLoadResult;
      await h.adapter.idle();
      console.log('done');
      const hooks = requests.flat().map((request) => request.hook);
      const measured = answers.map((answer, i) => {
        const late = h.slack.hookPosts.filter((post) => post.hook === hooks[i]);
        // Each answer is checked as Slack would check it: one per command, in the ack or at its response_url.
        const message = answer.body ?? late[0]?.body ?? null;
        const answered = answer.status === 200 && message !== null && late.length === (answer.body ? 0 : 1) && checkMessage(message as Record<string, unknown>) === null;
        const answerMs = answer.body ? answer.ms : late[0] ? performance.timeOrigin + late[0].at - answer.sentAt : Number.NaN;
        return { ack: answer.ms, answer: answerMs, afterAck: !answer.body, answered };
      });
      // Round 0 warms up (module loading, prepared statements) and is not counted.
      const counted = measured.slice(concurrency);
      rows.push({
        label,
        samples: counted.map((m) => m.ack).sort((a, b) => a - b),
        answers: counted.filter((m) => m.answered).map((m) => m.answer).sort((a, b) => a - b),
        afterAck: counted.filter((m) => m.afterAck).length,
        failed: counted.filter((m) => !m.answered).length,
        fallbacks: h.hf.requests.length - fallbacksBefore,
      });
    };
    if (!underLoadOnly) for (const [label, texts] of workloads) await measure(label, texts);
    await whileAlertsMatch((subscriptions) => measure(`/papers <query> while alerts match ${subscriptions}`, searches));
    await whileFanningOut(h, FAN_OUT_CHANNELS, (channels) => measure(`/papers <query> during a fan-out to ${channels}`, searches));
    console.log('');
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  }
}


/**
 * Runs `measure` while a 10-paper digest goes to `channelCount` channels through the same adapter at Slack's pace
 * (workspace cap off: the most posts a second), as at digest time; the fan-out starts a second before.
 */
async function whileFanningOut(h: Awaited<ReturnType<typeof startHarness>>, channelCount: number, measure: (channels: string) => Promise<void>): Promise<void> {
  // A day of its own, after any real one, so the digest is these papers whatever else the store holds.
  const day = '2031-01-06';
  await h.seedDay(day, benchPapers(FAN_OUT_PAPERS));
  const channels: ChannelRef[] = Array.from({ length: channelCount }, (_, i) => ({ platform: 'slack', id: `C0FAN${String(i).padStart(5, '0')}` }));
  const digest = (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: channels[0]!, workspace: LOCAL_WORKSPACE, size: FAN_OUT_PAPERS, timeZone: 'UTC', day }))!;
  await h.adapter.publisher.workspaceOf(channels[0]!);
  const rateLimitedBefore = h.slack.rateLimited.length;
  const started = performance.now();
  const fanOut = deliverToChannels({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channels, async () => digest);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await measure(`${channelCount.toLocaleString('en')} channels`);
  const measuredUntil = performance.now() - started;
  const results = await fanOut;
  const wallMs = performance.now() - started;
  const delivered = results.filter((r) => 'outcome' in r && r.outcome.status === 'delivered').length;
  console.log(`  (fan-out: ${delivered}/${channelCount} channels in ${(wallMs / 1000).toFixed(1)} s, commands measured in its first ${(measuredUntil / 1000).toFixed(1)} s; ${h.slack.rateLimited.length - rateLimitedBefore} × 429)`);
  checkThat(`fan-out during the commands reached all ${channelCount} channels`, delivered === channelCount);
  checkThat('the commands were measured while the fan-out was still posting', measuredUntil < wallMs);
}

/**
 * Runs `measure` while alert runs match 100k subscriptions against 200 papers back to back in this process, as
 * after a sync (the first run, which builds the index at start-up, is done before).
 */
async function whileAlertsMatch(measure: (subscriptions: string) => Promise<void>): Promise<void> {
  const alerts = await openAlertStore(loadPools());
  try {
    const matcher = new SubscriptionMatcher();
    process.stdout.write(`  building the alert index (${ALERT_SUBSCRIPTIONS.toLocaleString('en')} subscriptions)… `);
    await matcher.run(alerts.store, alerts.papers);
    console.log('done');
    collectGarbage();
    let matching = true;
    let runs = 0;
    const load = (async () => {
      while (matching) {
        await matcher.run(alerts.store, alerts.papers);
        runs++;
      }
    })();
    await measure(`${(ALERT_SUBSCRIPTIONS / 1000).toFixed(0)}k subscriptions`);
    matching = false;
    await load;
    console.log(`  (${runs} alert runs meanwhile)`);
  } finally {
    await alerts.close();
  }
}
