import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENTS_PATH } from '../../adapters/slack/http-receiver.js';
import type { FakeSlack } from '../../test/fakes/slack-api.js';
import { spawnNode, stopChild, type ChildOptions } from './children.js';

/** Often enough that polling adds at most this to the figure, seldom enough not to load a 2-core machine. */
const POLL_MS = 10;

export interface FirstAnswer {
  /** Spawn → the first `/papers` answered with results (the ack, or the response_url post if it was deferred). */
  answeredMs: number;
  /** Spawn → the log line saying so (as it reached us); null if it never came. */
  listeningMs: number | null;
  readyMs: number | null;
  /** Signed commands sent: refused, answered 503 not_ready, then the one answered. */
  attempts: number;
  /** The ack said "working on it" and the answer came by response_url. */
  deferred: boolean;
  /** The answer's fallback text, to show it is the search result. */
  text: string;
  /** Warnings and errors the bot logged. */
  problems: string[];
  /** The process's resident memory once it has answered (Linux `/proc`; null elsewhere). */
  rssMb: number | null;
  /** …and after it then answered `thenSearch` (null when none were asked). */
  rssAfterSearchesMb: number | null;
}

function residentMb(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * `paperboy start` in Slack HTTP mode, timed from spawn to the first signed `/papers <text>` it answers. The
 * port is chosen up front so polling can begin at spawn: refused means not listening yet, 503 means the
 * adapter has not finished start-up (auth.test, Bolt's init).
 */
export async function timeFirstAnswer(bin: string, slack: FakeSlack, options: ChildOptions, text: string, thenSearch: readonly string[] = [], timeoutMs = 30_000): Promise<FirstAnswer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}${EVENTS_PATH}`;
  const env = {
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    // Every run asks as the same user, on a store copy that may outlive the minute.
    COMMANDS_PER_MINUTE: '0',
  };
  const started = performance.now();
  const child = spawnNode([bin, 'start'], { ...options, env });
  const result: Omit<FirstAnswer, 'answeredMs' | 'attempts' | 'deferred' | 'text' | 'rssMb' | 'rssAfterSearchesMb'> = { listeningMs: null, readyMs: null, problems: [] };
  const tail: string[] = [];
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `exit ${code ?? signal}`));
  child.once('error', (error) => (exit = error.message));
  child.stdout!.resume();
  let pending = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const at = performance.now() - started;
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const entry = parseLog(line);
      if (entry?.msg?.startsWith('HTTP server listening')) result.listeningMs ??= at;
      if (entry?.msg === 'slack adapter ready') result.readyMs ??= at;
      if (entry && (entry.level ?? 0) >= 40) result.problems.push(entry.msg ?? line);
    }
  });

  try {
    for (let attempts = 1; ; attempts++) {
      if (exit !== null) throw new Error(`paperboy start ended (${exit}) before answering:\n${tail.join('\n')}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no answer within ${timeoutMs} ms:\n${tail.join('\n')}`);
      const sent = await slack.command(endpoint, { text }).catch(() => null);
      if (sent?.status === 200 && sent.body !== null) {
        const deferred = JSON.stringify(sent.body).includes(':hourglass_flowing_sand:');
        let answer = sent.body;
        if (deferred) answer = await hookAnswer(slack, sent.hook, started + timeoutMs);
        const answered = { ...result, answeredMs: performance.now() - started, attempts, deferred, text: String(answer.text ?? ''), rssMb: residentMb(child.pid) };
        // Memory after many different searches: the store's pages each one touched, and every cache at its size.
        for (const query of thenSearch) {
          const reply = await slack.command(endpoint, { text: query });
          if (reply.status !== 200) throw new Error(`/papers ${query} answered ${reply.status}`);
        }
        return { ...answered, rssAfterSearchesMb: thenSearch.length > 0 ? residentMb(child.pid) : null };
      }
      if (sent && sent.status !== 503) throw new Error(`POST ${EVENTS_PATH} answered ${sent.status} ${JSON.stringify(sent.body)}`);
      await sleep(POLL_MS);
    }
  } finally {
    await stopChild(child);
  }
}

async function hookAnswer(slack: FakeSlack, hook: string, deadline: number): Promise<Record<string, unknown>> {
  for (;;) {
    const [posted] = slack.hookPostsFor(hook);
    if (posted) return posted;
    if (performance.now() > deadline) throw new Error('acked "working on it" but never answered on response_url');
    await sleep(1);
  }
}

function parseLog(line: string): { msg?: string; level?: number } | null {
  try {
    return JSON.parse(line) as { msg?: string; level?: number };
  } catch {
    return null;
  }
}

/** A port free a moment ago: the bot gets it by PORT, which PORT=0 could not tell us before it logs. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
