/** Unicode text and hostile input, end to end: parse → SQLite FTS5 search and the in-memory matcher. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesPaper } from '../src/search/match.js';
import { parseQuery } from '../src/search/parse.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createRng } from '../bench/lib/rng.js';
import { FIXTURE_PAPERS } from './fixtures/search/papers.js';

const now = new Date('2026-03-20T00:00:00Z');
let store: SqliteStore;

beforeAll(async () => {
  store = openSqliteStore(':memory:');
  await store.saveDay('2026-03-20', FIXTURE_PAPERS.map((entry, i) => ({ paper: entry.paper, day: entry.day, rank: i + 1 })), now);
});

afterAll(async () => {
  await store.close();
});

async function ids(text: string): Promise<string[]> {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  const fts = (await store.searchPapers(parsed.query, { limit: 100, offset: 0, now })).map((hit) => hit.paper.id).sort();
  const memory = FIXTURE_PAPERS.filter(({ paper }) => matchesPaper(parsed.query, paper)).map(({ paper }) => paper.id).sort();
  expect(fts).toEqual(memory);
  return fts;
}

describe('unicode', () => {
  it.each([
    ['Straße', ['2602.00035']],
    ['STRASSE', ['2602.00035']],
    ['Straßenbahn', ['2602.00035']],
    ['naïve', ['2602.00034']],
    ['NAIVE bayes', ['2602.00034']],
    ['cafe', ['2602.00034']],
    ['author:Zoe', ['2602.00034']],
    ['author:"francois dubois"', ['2602.00034']],
    ['多模态', ['2602.00031']],
    ['模态大', ['2602.00031']],
    ['"视觉 推理"', ['2602.00031']],
    ['author:王伟', ['2602.00031']],
    ['языковые модели', ['2602.00032']],
    ['ЯЗЫКОВЫЕ', ['2602.00032']],
    ['العربية', ['2602.00033']],
    ['ＧＰＴ－４', ['2601.00007']],
    ['🚀 naive', ['2602.00034']],
  ])('%s', async (text, expected) => {
    expect(await ids(text)).toEqual(expected);
  });

  it('rejects an emoji-only query with a clear message', () => {
    expect(parseQuery('🚀🎉')).toEqual({ ok: false, error: expect.stringMatching(/no letters or digits/) });
  });
});

describe('hostile input', () => {
  it.each([
    ['"NEAR(a b)"', ['2602.00036']],
    ['NEAR(a b)', ['2602.00036']],
    ['title:x', ['2602.00036']],
    ['prefix*', ['2602.00036']],
    ['^ anchors', ['2602.00037']],
    ['"^" anchors', null],
    ['"quoted" strings', ['2602.00037']],
    ['AND NOT OR', null],
    ['a AND b', ['2602.00036']],
    ['{title}:grokking', []],
    ['papers_fts:grokking', []],
    ["grokking'); DROP TABLE papers; --", []],
    ['author:"Query Author" NEAR', ['2602.00036']],
  ])('%s', async (text, expected) => {
    const parsed = parseQuery(text);
    if (expected === null) {
      expect(parsed.ok).toBe(false);
      return;
    }
    expect(await ids(text)).toEqual(expected);
  });

  it.each(['*', '^', '"', '()', ':', 'AND', 'NOT', 'OR', '-', '--', '""', '" "', 'author:""'])('%j is an error, not an FTS5 syntax error', (text) => {
    const parsed = parseQuery(text);
    expect(parsed.ok).toBe(false);
  });

  it('never makes FTS5 or the matcher fail on random input', async () => {
    const rng = createRng(7);
    const pieces = ['NEAR(', ')', '"', '*', '^', ':', 'AND', 'OR', 'NOT', '-', 'author:', 'title:', '{', '}', '+', "'", ';', '--', 'x', 'grokking', '多模态', 'ß', '🚀', '\u0000', ' ', ' '];
    let parsed = 0;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 1 + Math.floor(rng() * 12) }, () => pieces[Math.floor(rng() * pieces.length)]).join(rng() < 0.5 ? ' ' : '');
      const result = parseQuery(text);
      if (!result.ok) continue;
      parsed++;
      const hits = await store.searchPapers(result.query, { limit: 5, offset: 0, now });
      for (const hit of hits) expect(matchesPaper(result.query, hit.paper)).toBe(true);
    }
    expect(parsed).toBeGreaterThan(100);
  });

  it('still has every table after the injection attempts', async () => {
    expect(await store.countPapers()).toBe(FIXTURE_PAPERS.length);
  });
});
