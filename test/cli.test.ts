import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      const env = envFor(database, { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: slack.signingSecret });
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
      expect(slack.rejected).toEqual([]);
      expect(slack.unknownMethods).toEqual([]);
    } finally {
      await slack.close();
    }
  });
});
