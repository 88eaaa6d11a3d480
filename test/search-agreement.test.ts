/**
 * One grammar, three back ends: for a fixed corpus, the papers each store's full-text search returns (SQLite
 * FTS5, PostgreSQL tsvector) must be exactly the papers the in-memory matcher (subscriptions, HF fallback filter)
 * accepts, and both stores must rank them identically.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtInPools, generateCorpus } from '../bench/search/corpus.js';
import { benchQueries } from '../bench/search/queries.js';
import type { DailyListing } from '../src/papers/paper.js';
import { matchesPaper } from '../src/search/match.js';
import { parseQuery } from '../src/search/parse.js';
import type { ParsedQuery } from '../src/search/query.js';
import type { Store } from '../src/store/store.js';
import { FIXTURE_PAPERS, type FixturePaper } from './fixtures/search/papers.js';
import { createRng, pick } from '../bench/lib/rng.js';
import { EACH_BACKEND, POSTGRES_SKIP, STORE_BACKENDS, type BackendName, type StoreBackend } from './support/stores.js';

const now = new Date('2026-03-20T00:00:00Z');

/** One filled store per back end and corpus, shared by the suites below and closed at the end. */
const filled = new Map<string, Promise<Store>>();

function storeWith(backend: StoreBackend, corpusName: string, corpus: readonly FixturePaper[]): Promise<Store> {
  const key = `${backend.name}:${corpusName}`;
  let store = filled.get(key);
  if (!store) {
    store = (async () => {
      const opened = backend.open();
      for (const [day, listings] of byDay(corpus)) await opened.saveDay(day, listings, now);
      return opened;
    })();
    filled.set(key, store);
  }
  return store;
}

afterAll(async () => {
  await Promise.all([...filled.values()].map(async (store) => (await store).close()));
});

function byDay(corpus: readonly FixturePaper[]): Map<string, DailyListing[]> {
  const days = new Map<string, DailyListing[]>();
  for (const { paper, day } of corpus) {
    const listings = days.get(day) ?? [];
    listings.push({ paper, day, rank: listings.length + 1 });
    days.set(day, listings);
  }
  return days;
}

function query(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`${text}: ${result.error}`);
  return result.query;
}

async function searchIds(store: Store, q: ParsedQuery): Promise<string[]> {
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

/** 300 queries built from the corpus: words, phrases, author names, ORs and exclusions. Deterministic. */
function randomQueryTexts(): string[] {
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
  const texts: string[] = [];
  for (let i = 0; i < 300; i++) {
    const parts: string[] = [];
    const n = 1 + Math.floor(rng() * 3);
    for (let k = 0; k < n; k++) parts.push(k > 0 && rng() < 0.3 ? `OR ${term()}` : term());
    if (rng() < 0.3) parts.push(`-${term()}`);
    texts.push(parts.join(' '));
  }
  return texts;
}

const RANDOM_QUERIES = randomQueryTexts();

describe.each(EACH_BACKEND)('%s search and matchesPaper return the same papers', (_, backend) => {
  beforeEach((ctx) => {
    if (backend.skip) ctx.skip(backend.skip);
  });
  const fixtures = () => storeWith(backend, 'fixtures', FIXTURE_PAPERS);

  it.each(QUERIES)('%s', async (text) => {
    const q = query(text);
    expect(await searchIds(await fixtures(), q)).toEqual(memoryIds(q));
  });

  it('the fixed queries exercise both matches and misses', async () => {
    const store = await fixtures();
    const counts = await Promise.all(QUERIES.map(async (text) => (await searchIds(store, query(text))).length));
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(QUERIES.length * 0.8);
  });

  it('random queries built from the corpus agree too', async () => {
    const store = await fixtures();
    let checked = 0;
    for (const text of RANDOM_QUERIES) {
      const result = parseQuery(text);
      if (!result.ok) continue;
      checked++;
      expect(await searchIds(store, result.query), text).toEqual(memoryIds(result.query));
    }
    expect(checked).toBeGreaterThan(250);
  });
});

/**
 * The generated bench corpus at 1,500 papers: common words match more than the candidate window (200) and more
 * than the IDF sample (100), so the window cut and the sampled IDF estimate are compared too.
 */
const POOLS = builtInPools();
const LARGE_CORPUS: FixturePaper[] = generateCorpus(POOLS, 1_500, 5);

type Ranked = [id: string, score: number, day: string | null][];

async function ranked(name: BackendName, corpusName: string, corpus: readonly FixturePaper[], text: string, limit = 1_000, offset = 0): Promise<Ranked> {
  const backend = STORE_BACKENDS.find((b) => b.name === name)!;
  const hits = await (await storeWith(backend, corpusName, corpus)).searchPapers(query(text), { limit, offset, now });
  return hits.map((hit) => [hit.paper.id, hit.score, hit.day]);
}

describe('SQLite and PostgreSQL rank the same', () => {
  beforeEach((ctx) => {
    if (POSTGRES_SKIP) ctx.skip(POSTGRES_SKIP);
  });

  it.each(QUERIES)('%s', async (text) => {
    expect(await ranked('PostgreSQL', 'fixtures', FIXTURE_PAPERS, text)).toEqual(await ranked('SQLite', 'fixtures', FIXTURE_PAPERS, text));
  });

  it('for every random query of the agreement corpus', async () => {
    let compared = 0;
    for (const text of RANDOM_QUERIES) {
      if (!parseQuery(text).ok) continue;
      compared++;
      expect(await ranked('PostgreSQL', 'fixtures', FIXTURE_PAPERS, text), text).toEqual(await ranked('SQLite', 'fixtures', FIXTURE_PAPERS, text));
    }
    expect(compared).toBeGreaterThan(250);
  });

  describe('on a corpus larger than the candidate window, page by page', () => {
    const texts = benchQueries(POOLS, 100).filter((text) => parseQuery(text).ok);
    // Filling PostgreSQL with 1,500 papers takes seconds; done once, outside any one query's time.
    beforeAll(async () => {
      if (POSTGRES_SKIP) return;
      await Promise.all(STORE_BACKENDS.map((backend) => storeWith(backend, 'large', LARGE_CORPUS)));
    }, 120_000);

    it('with enough queries that match more than the window', async () => {
      let windowed = 0;
      for (const text of texts) if ((await ranked('SQLite', 'large', LARGE_CORPUS, text)).length > 200) windowed++;
      expect(windowed).toBeGreaterThan(5);
    });

    it.each(texts)('%s', async (text) => {
      const all = await ranked('SQLite', 'large', LARGE_CORPUS, text);
      expect(await ranked('PostgreSQL', 'large', LARGE_CORPUS, text), text).toEqual(all);
      // A first page and the last page of the default window: both rank within the newest 200 matches.
      for (const [limit, offset] of [[11, 0], [10, 190]] as const) {
        const sqlite = await ranked('SQLite', 'large', LARGE_CORPUS, text, limit, offset);
        expect(await ranked('PostgreSQL', 'large', LARGE_CORPUS, text, limit, offset), `${text} (${limit} from ${offset})`).toEqual(sqlite);
      }
    });
  });
});
