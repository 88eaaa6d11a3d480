import { createDiscordPublisher } from '../adapters/discord/adapter.js';
import { discordSettings } from '../adapters/discord/settings.js';
import { slackSettings } from '../adapters/slack/settings.js';
import { createSlackPublisher } from '../adapters/slack/adapter.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import type { ChannelRef } from '../src/channel.js';
import { parseConfig } from '../src/config.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { silentLogger } from '../src/logger.js';
import { runDailyDigests } from '../src/schedule/daily-digests.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { FAKE_API_KEY, startFakeOpenAI } from '../test/fakes/openai-server.js';
import { listingsFor } from '../test/support/papers.js';
import { startFakePlatforms } from './lib/fake-platforms.js';
import { benchPapers } from './lib/papers.js';
import type { BenchScenario } from './lib/scenario.js';
import { checkAtMost } from './lib/goals.js';
import { discordFanOutFloorMs, discordGlobalFloorMs } from './lib/discord-floor.js';
import { formatTable } from './lib/table.js';

/**
 * Issue 5's service-level fan-out: the scheduler's daily run (`runDailyDigests`, the production path: ledger,
 * concurrency, pausing) posting a 10-paper digest to N Slack channels and N Discord channels, against both fakes'
 * rate limits (Slack 1 message/s/channel; Discord 5 posts/5 s per channel and 50 requests/s overall), the fakes in
 * a process of their own as the platforms are remote. Counts
 * 429s, duplicate and lost papers from the fakes' records, and the LLM calls the digests cost (the summary cache
 * is primed for some papers: calls must equal the papers without a cached summary, however many channels).
 *
 *   npm run bench -- fanout-1000 [--channels 1000] [--papers 10] [--cached 4] [--platform slack|discord]
 */
const DAY = '2026-05-18';

const scenario: BenchScenario = {
  description: '1,000 channels × 10-paper digest on Slack and Discord through the scheduler: floor, 429s, duplicates, lost, LLM calls',
  async run(args) {
    const value = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
    const channels = value('channels', 1000);
    const papers = value('papers', 10);
    const cached = value('cached', 4);
    const only = args.includes('--platform') ? args[args.indexOf('--platform') + 1] : null;

    const platforms = await startFakePlatforms();
    const { slack, discord } = platforms;
    const llm = await startFakeOpenAI();
    const store = openSqliteStore(':memory:');
    try {
      const config = parseConfig({
        OPENAI_API_KEY: FAKE_API_KEY,
        OPENAI_BASE_URL: llm.baseURL,
        OPENAI_MODEL: 'bench-mini',
      });
      let llmCalls = 0;
      const summariser = createSummariser({ config, cache: store, logger: silentLogger, onEvent: (e) => void (e.type === 'llm_call' && llmCalls++) });
      const dayPapers = benchPapers(papers);
      await store.saveDay(DAY, listingsFor(DAY, dayPapers), new Date());
      for (const paper of dayPapers.slice(0, cached)) await summariser.summarise(paper, LOCAL_WORKSPACE);
      const primingCalls = llmCalls;

      // The fake has no workspace-wide cap, so neither does the client here (see the note printed below).
      const slackPublisher = createSlackPublisher(slackSettings.parse({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.apiUrl }), silentLogger, { pacing: { workspacePerMinute: null } });
      // The service checks the token with auth.test when it starts, long before a scheduled digest: so here too.
      await slackPublisher.workspaceOf();
      const publishers = new Map<string, ChannelPublisher>([
        ['slack', slackPublisher],
        ['discord', createDiscordPublisher(discordSettings.parse({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.url }), silentLogger)],
      ]);
      const slackChannels: ChannelRef[] = Array.from({ length: channels }, (_, i) => ({ platform: 'slack', id: `C${String(i).padStart(8, '0')}` }));
      const discordChannels: ChannelRef[] = (await platforms.addDiscordChannels(channels)).map((id) => ({ platform: 'discord', id }));
      for (const channel of [...slackChannels, ...discordChannels]) {
        await store.saveChannelSettings({ channel, time: '00:00', timeZone: 'UTC', size: papers, paused: false, emptyDayNote: false });
      }
      const settings = await store.listChannelSettings();
      const deps = { store, summariser, publishers, clock: () => new Date(`${DAY}T09:00:00Z`), logger: silentLogger };

      const rows: (string | number)[][] = [];
      for (const platform of (['slack', 'discord'] as const).filter((p) => only === null || p === only)) {
        process.stdout.write(`  ${platform}: ${papers} papers to ${channels} channels… `);
        const started = performance.now();
        const results = await runDailyDigests(deps, settings.filter((s) => s.channel.platform === platform), deps.clock());
        const wallMs = performance.now() - started;
        console.log(`${(wallMs / 1000).toFixed(1)} s`);
        const failed = results.filter((r) => 'error' in r).length;
        const report = (await platforms.report())[platform];
        const floorMs = platform === 'slack' ? papers * 1000 : Math.max(discordGlobalFloorMs(report.requests), discordFanOutFloorMs(channels, papers));
        const expected = dayPapers.map((p) => p.id);
        let duplicates = 0;
        let lost = 0;
        for (const channel of (platform === 'slack' ? slackChannels : discordChannels).map((c) => c.id)) {
          const ids = (report.threads[channel] ?? []).filter((id): id is string => id !== null);
          duplicates += ids.length - new Set(ids).size + Math.max(0, (report.parents[channel] ?? 0) - 1);
          lost += expected.filter((id) => !ids.includes(id)).length;
        }
        if (report.spans) {
          console.log(`  first post per channel after the first anywhere: ${JSON.stringify(report.spans.start)} ms; first to last post per channel: ${JSON.stringify(report.spans.span)} ms`);
          console.log(`  first to last post anywhere: ${report.spans.allMs} ms; the rest of the wall time is before the first post and after the last answer`);
        }
        rows.push([platform, report.messages, report.requests, wallMs / 1000, floorMs / 1000, wallMs / floorMs, report.rateLimited, percent(report.rateLimited, report.requests), duplicates, lost, failed + report.refused]);
        checkAtMost(`${platform} fan-out to ${channels} channels, wall ÷ floor`, wallMs / floorMs, 1.1, '×');
        checkAtMost(`${platform} fan-out duplicates + lost`, duplicates + lost, 0, 'posts');
        checkAtMost(`${platform} fan-out requests answered 429`, (100 * report.rateLimited) / Math.max(1, report.requests), 1, '%');
      }
      console.log('');
      console.log(formatTable(['platform', 'messages', 'requests', 'wall s', 'floor s', 'wall/floor', '429s', '429 %', 'duplicates', 'lost', 'failed / refused'], rows));
      console.log(`\nFloors: Slack, ${papers} one-second gaps per channel (channels side by side; the fake has no workspace cap — a real`);
      console.log(`workspace's few hundred messages a minute would set ${((channels * (papers + 1)) / 600).toFixed(0)} min at 600/min); Discord, the global limit alone (50 at once, then 50/s), or an ideal client under`);
      console.log('the global and per-thread limits at once, whichever is longer.');
      console.log(`LLM calls for ${channels * (only ? 1 : 2)} channels: ${llmCalls - primingCalls} (papers without a cached summary: ${papers - cached}).`);
      console.log('Targets: wall ≤ 1.1 × floor, 0 duplicates, 0 lost, < 1% of requests answered 429.');
    } finally {
      await store.close();
      platforms.close();
      await llm.close();
    }
  },
};

export default scenario;

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(2)}%`;
}
