/**
 * One grammar, two back ends: for a fixed corpus, the papers the SQLite FTS5 search returns must be exactly the
 * papers the in-memory matcher (subscriptions, HF fallback filter) accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesPaper } from '../src/search/match.js';
import { parseQuery } from '../src/search/parse.js';
import type { ParsedQuery } from '../src/search/query.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { FIXTURE_PAPERS } from './fixtures/search/papers.js';
import { createRng, pick } from '../bench/lib/rng.js';

const now = new Date('2026-03-20T00:00:00Z');
let store: SqliteStore;

beforeAll(async () => {
  store = openSqliteStore(':memory:');
  const days = [...new Set(FIXTURE_PAPERS.map((p) => p.day))];
  for (const day of days) {
    const listings = FIXTURE_PAPERS.filter((p) => p.day === day).map((p, i) => ({ paper: p.paper, day, rank: i + 1 }));
    await store.saveDay(day, listings, now);
  }
});

afterAll(async () => {
  await store.close();
});

function query(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`${text}: ${result.error}`);
  return result.query;
}

async function ftsIds(q: ParsedQuery): Promise<string[]> {
  const hits = await store.searchPapers(q, { limit: 1_000, offset: 0, now });
  return hits.map((hit) => hit.paper.id).sort();
}

function memoryIds(q: ParsedQuery): string[] {
  return FIXTURE_PAPERS.filter(({ paper }) => matchesPaper(q, paper)).map(({ paper }) => paper.id).sort();
}

const QUERIES = [
  'grokking', 'grok', 'Grokked', 'transformers', 'transformer', 'in-context', 'in context', '"in context"',
  '"in-context learning"', 'learning context', 'GPT-4', 'gpt4', 'gpt 4', '3d', '"3D Gaussian"', "don't",
  "model's", 'mixture of experts', '"mixture of experts"', '"experts mixture"', 'diffusion OR flow',
  'diffusion -video', 'video OR audio speech', 'agents -survey', 'agents -"tool use"', 'author:"Ziming Liu"',
  'author:Liu', 'author:Tegmark grokking', 'author:"Liu Chen"', '"Wang Liu"', '"Liu Chen"', 'author:"Chen Wang"',
  'author:"Wang Alice"', '"Tegmark Eric"', 'author:Dettmers -"post-training"', 'quantization OR quantized',
  'rlhf', '"reward model"', 'sparse autoencoders superposition', '多模态', '视觉推理', 'языковые модели',
  'العربية', 'Straße', 'strasse', 'naïve', 'naive bayes', 'café', 'zoë', 'müller', 'NEAR(a b)', 'title:x',
  'prefix*', '"quoted"', 'chain of thought', '"chain of thought"', 'chain-of-thought', 'lecun', 'author:lecun',
  'softmax OR author:Nanda', 'memorization -grokking', 'long context kv cache', '10,000', '1080p', 'weight norm',
];

describe('FTS5 search and matchesPaper return the same papers', () => {
  it.each(QUERIES)('%s', async (text) => {
    const q = query(text);
    expect(await ftsIds(q)).toEqual(memoryIds(q));
  });

  it('the fixed queries exercise both matches and misses', async () => {
    const counts = await Promise.all(QUERIES.map(async (text) => (await ftsIds(query(text))).length));
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(QUERIES.length * 0.8);
  });

  it('random queries built from the corpus agree too', async () => {
    const rng = createRng(99);
    const words = FIXTURE_PAPERS.flatMap(({ paper }) => `${paper.title} ${paper.abstract} ${paper.aiKeywords.join(' ')}`.split(/\s+/));
    const names = FIXTURE_PAPERS.flatMap(({ paper }) => paper.authors);
    const term = (): string => {
      const r = rng();
      if (r < 0.15) return `author:"${pick(rng, names)}"`;
      if (r < 0.2) return `author:${pick(rng, pick(rng, names).split(' '))}`;
      if (r < 0.4) {
        const start = Math.floor(rng() * (words.length - 3));
        return `"${words.slice(start, start + 2 + Math.floor(rng() * 2)).join(' ').replaceAll('"', '')}"`;
      }
      return pick(rng, words).replaceAll('"', '');
    };
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      const n = 1 + Math.floor(rng() * 3);
      for (let k = 0; k < n; k++) parts.push(k > 0 && rng() < 0.3 ? `OR ${term()}` : term());
      if (rng() < 0.3) parts.push(`-${term()}`);
      const result = parseQuery(parts.join(' '));
      if (!result.ok) continue;
      checked++;
      expect(await ftsIds(result.query), parts.join(' ')).toEqual(memoryIds(result.query));
    }
    expect(checked).toBeGreaterThan(250);
  });
});
