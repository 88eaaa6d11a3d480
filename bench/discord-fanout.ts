import type { ChannelRef } from '../src/channel.js';
import { deliverToChannels } from '../src/delivery/fan-out.js';
import { buildDailyDigest } from '../src/digest/build-digest.js';
import { startHarness } from '../test/fixtures/discord/harness.js';
import { measureInteractionLatency } from './discord-latency.js';
import { benchPapers } from './lib/papers.js';
import type { BenchScenario } from './lib/scenario.js';
import { checkAtMost } from './lib/goals.js';
import { discordFanOutFloorMs, discordGlobalFloorMs } from './lib/discord-floor.js';
import { formatTable } from './lib/table.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';

/**
 * Discord delivery against the Discord fake's limits (5 posts per 5 s per channel, 50 requests per second
 * globally), through discord.js's REST client exactly as production runs it:
 * 1. fan-out: a 10-paper digest to N channels (parent, thread, 10 papers = 12 requests each); wall time against
 *    the floor the limits allow, and how many 429s discord.js ran into;
 * 2. interaction latency: rounds of 50 simultaneous signed requests to POST /discord/interactions from a separate
 *    process, timed from sending to the full answer, searching the real paper archive when it is there, as the
 *    Slack bench does (see discord-latency.ts).
 *
 *   npm run bench -- discord-fanout [--channels 200] [--papers 10] [--rounds 10] [--concurrency 50]
 */
const scenario: BenchScenario = {
  description: 'Discord digest fan-out vs the rate-limit floor; interaction answer latency under 50 concurrent',
  async run(args) {
    const options = parseArgs(args);
    const fanOut = await runFanOut(options.channels, options.papers);
    const latency = await measureInteractionLatency(options.rounds, options.concurrency);

    console.log('');
    console.log(
      formatTable(
        ['channels', 'requests', 'wall s', 'floor s', 'wall/floor', '429 global', '429 route', 'refused', 'delivered'],
        [[options.channels, fanOut.requests, fanOut.wallMs / 1000, fanOut.floorMs / 1000, fanOut.wallMs / fanOut.floorMs, fanOut.global429, fanOut.route429, fanOut.refused, fanOut.delivered]],
      ),
    );
    console.log(
      `\nFloor: max(the global limit alone, 50 at once then 50 a second = ${(fanOut.globalFloorMs / 1000).toFixed(1)} s, an ideal client under both limits at once = ${(fanOut.routeFloorMs / 1000).toFixed(1)} s). Target: wall ≤ 1.1 × floor.\n`,
    );
    console.log(formatTable(['workload', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'deferred', 'failed'], latency.map((r) => [r.workload, r.requests, r.p50, r.p99, r.max, r.deferred, r.failed])));
    console.log(`\n${options.concurrency} requests at once per round. Target: interaction p99 ≤ 100 ms.`);
    checkAtMost(`Discord fan-out to ${options.channels} channels, wall ÷ floor`, fanOut.wallMs / fanOut.floorMs, 1.1, '×');
    checkAtMost(`Discord fan-out channels not delivered`, options.channels - fanOut.delivered, 0, 'channels');
    // The floor row is what the machine and server cost without the bot: measured, not a goal.
    for (const row of latency.filter((r) => !r.workload.includes('(floor)'))) {
      checkAtMost(`Discord interaction p99, ${row.workload}, ${options.concurrency} concurrent`, row.p99, 100);
      checkAtMost(`Discord interactions failed, ${row.workload}`, row.failed, 0, 'interactions');
    }
  },
};

export default scenario;

function parseArgs(args: readonly string[]) {
  const value = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  return { channels: value('channels', 200), papers: value('papers', 10), rounds: value('rounds', 10), concurrency: value('concurrency', 50) };
}

async function runFanOut(channelCount: number, paperCount: number) {
  const day = '2026-05-18';
  // Production REST settings (discord.js defaults: 3 retries, 15 s timeout).
  const h = await startHarness({ adapter: { rest: { retries: 3, timeoutMs: 15_000 } } });
  try {
    await h.seedDay(day, benchPapers(paperCount));
    const channels: ChannelRef[] = Array.from({ length: channelCount }, () => ({ platform: 'discord', id: h.discord.addChannel() }));
    const digest = (await buildDailyDigest({ store: h.store, summariser: h.summariser, clock: () => new Date() }, { channel: channels[0]!, workspace: LOCAL_WORKSPACE, size: paperCount, timeZone: 'UTC', day }))!;

    process.stdout.write(`  fan-out: ${paperCount} papers to ${channelCount} channels… `);
    const started = performance.now();
    const results = await deliverToChannels({ ledger: h.store, publisher: h.adapter.publisher, clock: () => new Date() }, channels, async () => digest);
    const wallMs = performance.now() - started;
    console.log(`${(wallMs / 1000).toFixed(1)} s`);

    const requests = h.discord.requests.length;
    const globalFloorMs = discordGlobalFloorMs(requests);
    // Each thread's papers wait for its bucket's reset, and at a few dozen channels the global limit delays when
    // the last threads' buckets open: the two limits together, not each alone.
    const routeFloorMs = discordFanOutFloorMs(channelCount, paperCount);
    return {
      requests,
      wallMs,
      globalFloorMs,
      routeFloorMs,
      floorMs: Math.max(globalFloorMs, routeFloorMs),
      global429: h.discord.rateLimited.filter((r) => r.scope === 'global').length,
      route429: h.discord.rateLimited.filter((r) => r.scope === 'user').length,
      refused: h.discord.rejected.length + h.discord.unknownRoutes.length,
      delivered: results.filter((r) => 'outcome' in r && r.outcome.status === 'delivered').length,
    };
  } finally {
    await h.close();
  }
}
