import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeArxivServer } from './fakes/arxiv-server.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { LOCAL_WORKSPACE } from '../src/workspace.js';
import { startFakeDiscord } from './fakes/discord-api.js';
import { makeHfEntry, startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';
import { FAKE_API_KEY, startFakeOpenAI, summaryReply, type FakeOpenAI } from './fakes/openai-server.js';
import { startFakeSlack } from './fakes/slack-api.js';
import { cliSandbox, runCli } from './support/run-cli.js';

const DAY = '2026-05-18';
const entries = [
  makeHfEntry({ id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability', upvotes: 97, day: DAY, aiSummary: 'Grokking appears once floating-point errors are controlled.', githubRepo: 'https://github.com/o/grok', githubStars: 420 }),
  makeHfEntry({ id: '2605.15320', title: 'FFAvatar: Few-Shot Feed-Forward Avatar Reconstruction', upvotes: 40, day: DAY }),
  makeHfEntry({ id: '2605.14001', title: 'Scaling In-Context Learning with Sparse Attention', upvotes: 12, day: DAY, summary: 'We explain grokking in passing. Sparse attention scales in-context learning to long prompts.' }),
];

let hf: FakeHfServer;
let llm: FakeOpenAI;

beforeAll(async () => {
  hf = await startFakeHfServer({ days: { [DAY]: entries, '2026-05-16': [], '2026-05-17': [] } });
  llm = await startFakeOpenAI({ reply: summaryReply({ tldr: 'An LLM summary of the paper.' }) });
});

afterAll(async () => {
  await hf.close();
  await llm.close();
});

function envFor(database: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HF_API_URL: hf.url, DATABASE_URL: database, ...extra };
}

describe('paperboy CLI against a fake Hugging Face', () => {
  it('syncs, then prints the day in HF order, searches and summarises', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database);

    const sync = await runCli(['sync', '--from', '2026-05-16', '--to', DAY], { cwd, env });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('Synced 3 days');

    const rerun = await runCli(['sync', '--from', '2026-05-16', '--to', DAY], { cwd, env });
    expect(rerun.stdout).toContain('0 new papers');

    const digest = await runCli(['digest', '--dry-run', '--date', DAY, '--json'], { cwd, env });
    expect(digest.code).toBe(0);
    const value = JSON.parse(digest.stdout) as { title: string; items: { rank: number; paper: { id: string } }[] };
    expect(value.title).toBe('Trending papers · Mon 18 May');
    expect(value.items.map((item) => item.paper.id)).toEqual(['2605.15298', '2605.15320', '2605.14001']);

    const text = await runCli(['digest', '--dry-run', '--date', DAY], { cwd, env });
    expect(text.stdout).toMatch(/1\. Grokking at the Edge[\s\S]*2\. FFAvatar[\s\S]*3\. Scaling In-Context/);
    expect(text.stdout).toContain('Grokking appears once floating-point errors are controlled.');

    const search = await runCli(['search', 'grokking', '--json'], { cwd, env });
    expect(search.code).toBe(0);
    const hits = JSON.parse(search.stdout) as { cards: { paper: { id: string } }[] };
    expect(hits.cards.map((card) => card.paper.id)).toEqual(['2605.15298', '2605.14001']);

    const summary = await runCli(['summary', 'https://arxiv.org/abs/2605.15298v2'], { cwd, env });
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Grokking appears once floating-point errors are controlled.');
    expect(summary.stdout).toContain("Hugging Face's AI summary");
    expect(hf.unknownRoutes).toEqual([]);
  });

  it('summarises with an LLM when one is configured', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database, { OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: FAKE_API_KEY, OPENAI_MODEL: 'fake-mini' });
    await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
    const before = llm.chatRequests().length;
    const result = await runCli(['summary', '2605.15320', '--json'], { cwd, env });
    expect(result.code).toBe(0);
    const reply = JSON.parse(result.stdout) as { summary: { source: string; tldr: string; model: string } };
    expect(reply.summary).toMatchObject({ source: 'llm', tldr: 'An LLM summary of the paper.', model: 'fake-mini' });
    // Cached: a second ask makes no LLM call.
    await runCli(['summary', '2605.15320'], { cwd, env });
    expect(llm.chatRequests().length).toBe(before + 1);
  });

  it('counts the command line as one local workspace and says when its daily token budget is used up', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database, { OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: FAKE_API_KEY, OPENAI_MODEL: 'fake-mini', LLM_DAILY_TOKEN_BUDGET: '1' });
    await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
    const before = llm.chatRequests().length;
    expect((await runCli(['summary', '2605.15320'], { cwd, env })).stdout).toContain('An LLM summary of the paper.');
    const refused = await runCli(['summary', '2605.14001'], { cwd, env });
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain("summary: key sentences of the abstract (LLM not used: the workspace's daily LLM token budget is used up)");
    expect(llm.chatRequests().length).toBe(before + 1);
    const store = openSqliteStore(database);
    try {
      expect(await store.llmTokensUsed(LOCAL_WORKSPACE, new Date().toISOString().slice(0, 10))).toBeGreaterThan(1);
    } finally {
      await store.close();
    }
  });

  it('uses a prose answer from the LLM, and says why when no LLM answer is usable', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database, { OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: FAKE_API_KEY, OPENAI_MODEL: 'fake-mini' });
    await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
    llm.replyOnce({ content: 'Sure. The paper finds that grokking needs stable floating point. It tests small models.' });
    const prose = await runCli(['summary', '2605.15320'], { cwd, env });
    expect(prose.stdout).toContain('The paper finds that grokking needs stable floating point.');
    expect(prose.stdout).toContain('summary by fake-mini');

    llm.replyOnce({ content: 'PWNED' });
    const refused = await runCli(['summary', '2605.14001'], { cwd, env });
    expect(refused.code).toBe(0);
    console.log(refused.stdout, refused.stderr);
    expect(refused.stdout).toContain('LLM not used: the LLM reply held no usable summary');
  });

  it('looks up a paper the store does not have yet', async () => {
    const { cwd, database } = cliSandbox();
    hf.addPapers([{ ...makeHfEntry({ id: '2605.19999', title: 'A Paper Only HF Knows', aiSummary: 'Known only remotely.' }).paper }]);
    const result = await runCli(['summary', '2605.19999'], { cwd, env: envFor(database) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('A Paper Only HF Knows');
  });

  it('bad usage exits 2 with one line on stderr', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database);
    for (const args of [['search', '"unbalanced'], ['summary', 'not-a-paper'], ['sync', '--from', '2026-02-30'], ['digest', '--channel', 'teams:1']]) {
      const result = await runCli(args, { cwd, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().length).toBeGreaterThan(0);
    }
    const config = await runCli(['search', 'x'], { cwd, env: { ...env, PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxp-secret-123' } });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('PORT');
    expect(config.stderr).toContain('SLACK_BOT_TOKEN');
    expect(config.stderr).not.toContain('secret-123');
    expect(config.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('speaks command line, not chat: usage hints, dashed query words, --version', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database);
    await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });

    const unbalanced = await runCli(['search', '"unbalanced'], { cwd, env });
    expect(unbalanced.stderr).toMatch(/^paperboy: .*Try `paperboy search grokking`, `paperboy search '"in-context learning" -survey'`/);
    const notAPaper = await runCli(['summary', 'not-a-paper'], { cwd, env });
    expect(notAPaper.stderr).toContain('Use `paperboy summary 2605.15320`');
    for (const output of [unbalanced.stderr, notAPaper.stderr]) expect(output).not.toContain('`/papers');

    // `-sparse` is the grammar's exclusion, not an unknown option: no `--` needed, first or last.
    for (const args of [['grokking', '-sparse'], ['-sparse', 'grokking']]) {
      const result = await runCli(['search', ...args, '--json'], { cwd, env });
      expect(result.stderr).toBe('');
      expect((JSON.parse(result.stdout) as { cards: { paper: { id: string } }[] }).cards.map((card) => card.paper.id)).toEqual(['2605.15298']);
    }

    const version = await runCli(['--version'], { cwd, env });
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('sync also reads arXiv when ARXIV_CATEGORIES is set: progress, a summary line, searchable, not in the digest', async () => {
    const now = Date.now();
    const arxivEntries = [
      { id: '2605.18877', title: 'Tokamak-Style Confinement for Long-Context Language Models', categories: ['cs.CL'], published: new Date(now - 3_600_000).toISOString() },
      { id: '2605.15298', title: 'Grokking at the Edge of Numerical Stability', categories: ['cs.LG', 'cs.CL'], published: new Date(now - 7_200_000).toISOString() },
    ];
    // A fresh fake per process: each starts its own 3-second clock, as arXiv would see two separate clients.
    const syncFake = await startFakeArxivServer({ entries: arxivEntries });
    const doctorFake = await startFakeArxivServer({ entries: arxivEntries });
    try {
      const { cwd, database } = cliSandbox();
      const env = envFor(database, { ARXIV_CATEGORIES: 'cs.CL', ARXIV_API_URL: syncFake.url });
      const sync = await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
      expect(sync.code).toBe(0);
      expect(sync.stderr).toBe('arXiv (cs.CL): page 1, 2 papers so far\n');
      expect(sync.stdout).toMatch(/^Synced 1 day \(2026-05-18 … 2026-05-18\): 3 listings, 3 new papers\.\narXiv \(cs\.CL\): 2 papers submitted since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, 1 new\.\n$/);
      expect(syncFake.requests.map((r) => r.query.search_query)).toEqual(['cat:cs.CL']);

      const search = await runCli(['search', 'tokamak', '--json'], { cwd, env });
      expect((JSON.parse(search.stdout) as { cards: { paper: { id: string } }[] }).cards.map((card) => card.paper.id)).toEqual(['2605.18877']);
      const digest = await runCli(['digest', '--dry-run', '--date', DAY, '--json'], { cwd, env });
      expect((JSON.parse(digest.stdout) as { items: { paper: { id: string; upvotes: number } }[] }).items.map((item) => [item.paper.id, item.paper.upvotes])).toEqual([
        ['2605.15298', 97],
        ['2605.15320', 40],
        ['2605.14001', 12],
      ]);

      // A channel whose digests come from arXiv gets, asked now, the arXiv papers HF has not listed.
      const store = openSqliteStore(database);
      await store.saveChannelSettings({ channel: { platform: 'slack', id: 'C0ARXIVCLI' }, time: '09:00', timeZone: 'UTC', size: 5, paused: false, emptyDayNote: false, source: 'arxiv' });
      await store.close();
      const arxivDigest = await runCli(['digest', '--channel', 'slack:C0ARXIVCLI', '--dry-run', '--json'], { cwd, env });
      expect(arxivDigest.stderr).toBe('');
      expect((JSON.parse(arxivDigest.stdout) as { title: string; items: { paper: { id: string } }[] })).toMatchObject({ title: expect.stringMatching(/^New on arXiv · cs\.CL · /), items: [{ paper: { id: '2605.18877' } }] });

      const doctor = await runCli(['doctor'], { cwd, env: { ...env, ARXIV_API_URL: doctorFake.url } });
      expect(doctor.stdout).toMatch(/^ok\s+arxiv\s+ARXIV_API_URL=http:\/\/127\.0\.0\.1:\d+: cs\.CL, 2 papers listed$/m);

      const bad = await runCli(['sync'], { cwd, env: { ...env, ARXIV_CATEGORIES: 'cs.cl' } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('ARXIV_CATEGORIES names "cs.cl": not an arXiv category');
      expect([...syncFake.violations, ...doctorFake.violations]).toEqual([]);
    } finally {
      await syncFake.close();
      await doctorFake.close();
    }
  });

  it('doctor: one line per configured connection, exit 1 naming each setting to fix', async () => {
    const slack = await startFakeSlack();
    const discord = await startFakeDiscord();
    try {
      const { cwd, database } = cliSandbox();
      const env = {
        ...envFor(database),
        ...{ OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: FAKE_API_KEY, OPENAI_MODEL: 'fake-mini' },
        ...{ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl },
        ...{ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.url },
      };
      const healthy = await runCli(['doctor'], { cwd, env });
      expect(healthy.stderr).toBe('');
      expect(healthy.code).toBe(0);
      const status = (stdout: string) => stdout.trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2).join(' '));
      expect(status(healthy.stdout)).toEqual(['ok store', 'ok huggingface', 'off arxiv', 'ok llm', 'ok slack', 'ok discord']);
      expect(healthy.stdout).toMatch(/^ok\s+llm\s+fake-mini at http:\/\/127\.0\.0\.1:\d+\/v1$/m);

      const broken = await runCli(['doctor'], { cwd, env: { ...env, SLACK_BOT_TOKEN: 'xoxb-not-the-token', OPENAI_MODEL: 'gpt-9', DISCORD_APPLICATION_ID: '123456789012345678' } });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/^FAIL\s+slack\s+Slack rejected SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/m);
      expect(broken.stdout).toMatch(/^FAIL\s+llm\s+OPENAI_MODEL=gpt-9 is not served at OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1 \(it has fake-mini\)$/m);
      expect(broken.stdout).toMatch(/^FAIL\s+discord\s+DISCORD_APPLICATION_ID=123456789012345678 is not the application of DISCORD_TOKEN/m);
      expect(broken.stderr.trim()).toBe('paperboy: 3 checks failed.');

      const bare = await runCli(['doctor'], { cwd, env: envFor(database) });
      expect(bare.code).toBe(0);
      expect(status(bare.stdout)).toEqual(['ok store', 'ok huggingface', 'off arxiv', 'off llm', 'off platforms']);
    } finally {
      await slack.close();
      await discord.close();
    }
  });

  it('HF down or returning garbage: one line, exit 1, store untouched', async () => {
    const { cwd, database } = cliSandbox();
    const env = envFor(database);
    await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
    const snapshot = () => {
      const db = new Database(database, { readonly: true });
      const rows = db.prepare('SELECT id, upvotes FROM papers ORDER BY id').all();
      const listings = db.prepare('SELECT * FROM daily_listings ORDER BY day, rank').all();
      db.close();
      return { rows, listings };
    };
    const before = snapshot();

    hf.fail({ kind: 'html' }, { day: DAY });
    const garbage = await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env });
    hf.clearFailures();
    expect(garbage.code).toBe(1);
    expect(garbage.stderr.trim().split('\n')).toHaveLength(1);
    expect(garbage.stderr).toMatch(/malformed|HTML/i);
    expect(snapshot()).toEqual(before);

    const down = await runCli(['sync', '--from', DAY, '--to', DAY], { cwd, env: { ...env, HF_API_URL: 'http://127.0.0.1:9' } });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot()).toEqual(before);
  });

  it('posts a digest to a Slack channel once; a rerun says so; --force reposts', async () => {
    const slack = await startFakeSlack({ postIntervalMs: 50 });
    try {
      const { cwd, database } = cliSandbox();
      // The fake allows a post per channel every 50 ms; the bot is told so instead of pacing at Slack's 1 s.
      const env = envFor(database, { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_POST_INTERVAL_MS: '50' });
      const args = ['digest', '--channel', 'slack:C0DIGEST1', '--date', DAY];
      const first = await runCli(args, { cwd, env });
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain('Posted 3 papers of Mon 18 May to slack:C0DIGEST1');
      const [parent] = slack.topLevel('C0DIGEST1');
      expect(slack.topLevel('C0DIGEST1')).toHaveLength(1);
      expect(slack.replies('C0DIGEST1', parent!.ts)).toHaveLength(3);

      const again = await runCli(args, { cwd, env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already posted');
      expect(slack.messages).toHaveLength(4);

      const forced = await runCli([...args, '--force'], { cwd, env });
      expect(forced.stdout).toContain('Posted 3 papers');
      expect(slack.topLevel('C0DIGEST1')).toHaveLength(2);

      // A message written for chat ("paperboy can't post…") is printed with one prefix, not two.
      slack.setChannel('C0GONE001', 'missing');
      const gone = await runCli(['digest', '--channel', 'slack:C0GONE001', '--date', DAY], { cwd, env });
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/^paperboy can't post in this channel\. Invite it with \/invite @paperboy/);
      expect(slack.rejected).toEqual([]);
      expect(slack.unknownMethods).toEqual([]);
    } finally {
      await slack.close();
    }
  });
});
