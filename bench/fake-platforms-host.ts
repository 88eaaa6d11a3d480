/**
 * The Slack and Discord fakes in a process of their own, as the real platforms are remote: the bot's process
 * then pays only for its own work. Prints `READY {json}` with the URLs, then serves a control route on the same
 * Discord fake port's neighbour:
 *   POST /discord-channels?count=N → ids of N new Discord channels
 *   GET  /report → counts and, per channel, the paper ids posted in its digest thread
 *   run-ts bench/fake-platforms-host.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeDiscord } from '../test/fakes/discord-api.js';
import { startFakeSlack } from '../test/fakes/slack-api.js';

const slack = await startFakeSlack({ postIntervalMs: 1000 });
const discord = await startFakeDiscord();
const discordChannels: string[] = [];

/** The arXiv id a posted message is about (from its links), or null. */
function paperIn(body: unknown): string | null {
  const match = /arxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5})|huggingface\.co\/papers\/(\d{4}\.\d{4,5})/.exec(JSON.stringify(body));
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/**
 * Where the time went: each channel's first post after the very first post anywhere (start-up), and the time from
 * its first post to its last (its gaps), as percentiles in ms.
 */
function channelSpans(times: number[][]): { start: Record<string, number>; span: Record<string, number>; allMs: number } {
  const firsts = times.map((list) => Math.min(...list));
  const origin = Math.min(...firsts);
  const pick = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    return { p50: at(0.5), p90: at(0.9), max: at(1) };
  };
  const last = Math.max(...times.map((list) => Math.max(...list)));
  return { start: pick(firsts.map((first) => first - origin)), span: pick(times.map((list) => Math.max(...list) - Math.min(...list))), allMs: Math.round(last - origin) };
}

function report() {
  const slackChannels = [...new Set(slack.messages.map((m) => m.channel))];
  return {
    slack: {
      messages: slack.messages.length,
      requests: slack.calls.length,
      rateLimited: slack.rateLimited.length,
      refused: slack.rejected.length + slack.unknownMethods.length,
      threads: Object.fromEntries(slackChannels.map((c) => [c, slack.replies(c, slack.topLevel(c)[0]?.ts ?? '').map((m) => paperIn(m.body))])),
      parents: Object.fromEntries(slackChannels.map((c) => [c, slack.topLevel(c).length])),
      spans: channelSpans(slackChannels.map((c) => slack.messages.filter((m) => m.channel === c).map((m) => m.at))),
    },
    discord: {
      messages: discord.messages.length,
      requests: discord.requests.length,
      rateLimited: discord.rateLimited.length,
      refused: discord.rejected.length + discord.unknownRoutes.length,
      threads: Object.fromEntries(discordChannels.map((c) => {
        const thread = discord.messagesIn(c)[0]?.threadId;
        return [c, thread ? discord.messagesIn(thread).map((m) => paperIn(m.body)) : []];
      })),
      parents: Object.fromEntries(discordChannels.map((c) => [c, discord.messagesIn(c).length])),
    },
  };
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown;
  if (req.method === 'POST' && url.pathname === '/discord-channels') {
    const ids = Array.from({ length: Number(url.searchParams.get('count') ?? 1) }, () => discord.addChannel());
    discordChannels.push(...ids);
    body = ids;
  } else if (url.pathname === '/report') {
    body = report();
  } else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

const ready = {
  control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  slack: { apiUrl: slack.apiUrl, botToken: slack.botToken },
  discord: { url: discord.url, token: discord.token },
};
process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
// Lives until the bench kills it.
