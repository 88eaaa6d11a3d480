import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/papers/paper.js';
import { matchesPaper, matchesTokens } from '../src/search/match.js';
import { paperTokens } from '../src/search/paper-tokens.js';
import { parseQuery } from '../src/search/parse.js';
import type { ParsedQuery } from '../src/search/query.js';
import { buildSubscriptionIndex, createSubscriptionIndex } from '../src/search/subscription-index.js';
import { SubscriptionMatcher } from '../src/schedule/subscription-matcher.js';
import type { Subscription } from '../src/store/store.js';
import { createRng, pick, type Rng } from '../bench/lib/rng.js';
import { FIXTURE_PAPERS } from './fixtures/search/papers.js';
import { makePaper } from './support/papers.js';

function query(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`${text}: ${result.error}`);
  return result.query;
}

const papers = FIXTURE_PAPERS.map((entry) => entry.paper);

function naive(subscriptions: { id: number; query: ParsedQuery }[], paper: Paper): number[] {
  const tokens = paperTokens(paper);
  return subscriptions.filter((sub) => matchesTokens(sub.query, tokens)).map((sub) => sub.id);
}

/** Random subscription text drawn from the corpus: words, 2–4-word phrases, OR, exclusions, author filters. */
function randomQuery(rng: Rng, source: Paper[]): string {
  const paper = pick(rng, source);
  const words = `${paper.title} ${paper.abstract} ${paper.aiKeywords.join(' ')}`.split(/\s+/).map((w) => w.replaceAll('"', ''));
  const term = (): string => {
    const r = rng();
    if (r < 0.15) return `author:"${pick(rng, paper.authors)}"`;
    if (r < 0.35) {
      const start = Math.floor(rng() * Math.max(1, words.length - 4));
      return `"${words.slice(start, start + 2 + Math.floor(rng() * 3)).join(' ')}"`;
    }
    return pick(rng, words);
  };
  const parts = [term()];
  if (rng() < 0.4) parts.push(term());
  if (rng() < 0.3) parts.push('OR', term());
  if (rng() < 0.25) parts.push(`-${pick(rng, words)}`);
  return parts.join(' ');
}

/** `count` random subscriptions that parse, numbered from 1 (ids of ones that didn't parse are skipped). */
function randomSubscriptions(rng: Rng, count: number): { id: number; query: ParsedQuery }[] {
  const subscriptions: { id: number; query: ParsedQuery }[] = [];
  for (let id = 1; subscriptions.length < count; id++) {
    const parsed = parseQuery(randomQuery(rng, papers));
    if (parsed.ok) subscriptions.push({ id, query: parsed.query });
  }
  return subscriptions;
}

describe('subscription index', () => {
  it('matches like the naive loop on random subscriptions', () => {
    const subscriptions = randomSubscriptions(createRng(31), 1_500);
    const index = buildSubscriptionIndex(subscriptions);
    expect(index.size).toBe(subscriptions.length);
    let hits = 0;
    for (const paper of papers) {
      const expected = naive(subscriptions, paper);
      hits += expected.length;
      expect(index.match(paper), paper.id).toEqual(expected);
    }
    expect(hits).toBeGreaterThan(papers.length);
  });

  it('matches like the naive loop whichever clause document frequencies make the anchor', () => {
    const rng = createRng(32);
    const subscriptions = randomSubscriptions(rng, 1_500);
    // Arbitrary counts (some tokens unknown): only which clause is the anchor changes, never the result.
    const counts = new Map<string, number>();
    const index = createSubscriptionIndex<number>({
      documentFrequency: (token) => {
        if (!counts.has(token)) counts.set(token, rng() < 0.2 ? -1 : Math.floor(rng() * 1000));
        const count = counts.get(token)!;
        return count < 0 ? undefined : count;
      },
    });
    for (const subscription of subscriptions) index.add(subscription);
    for (const paper of papers) expect(index.match(paper), paper.id).toEqual(naive(subscriptions, paper));
  });

  it('finds phrases longer than three tokens, OR terms and author phrases', () => {
    const index = buildSubscriptionIndex([
      { id: 'long', query: query('"retrieval augmented generation reduces hallucination"') },
      { id: 'or', query: query('zebrafish OR grokking') },
      { id: 'author', query: query('author:"Ziming Liu" -omnigrok') },
      // Keywords "grokking" and "softmax collapse" are separate items: a phrase doesn't run across them.
      { id: 'cross-item', query: query('"grokking softmax"') },
      { id: 'excluded', query: query('grokking -softmax') },
    ]);
    const byId = (id: string) => papers.find((paper) => paper.id === id)!;
    expect(index.match(byId('2601.00019'))).toEqual(['long']);
    expect(index.match(byId('2601.00001'))).toEqual(['or']);
    expect(index.match(byId('2603.00048'))).toEqual(['or', 'author', 'excluded']);
    expect(index.match(byId('2603.00049'))).toEqual(['or', 'excluded']);
  });

  it('agrees with matchesPaper on unicode and hostile subscriptions', () => {
    const texts = ['多模态', '视觉推理 OR 空间', 'Straße', 'naïve', 'café OR zoë', 'NEAR(a b)', 'title:x', 'prefix*', 'author:Müller', '"GPT-4"', "don't"];
    const subscriptions = texts.map((text, id) => ({ id, query: query(text) }));
    const index = buildSubscriptionIndex(subscriptions);
    for (const paper of papers) {
      expect(index.match(paper)).toEqual(subscriptions.filter((sub) => matchesPaper(sub.query, paper)).map((sub) => sub.id));
    }
    expect(papers.filter((paper) => index.match(paper).length > 0).length).toBeGreaterThan(5);
  });

  it('checks a query many people share once, and still names every one of them', () => {
    const texts = ['grokking', 'Grokking', 'GROKKING', 'grokking -softmax', 'zebrafish OR grokking', 'grokking'];
    const subscriptions = texts.map((text, id) => ({ id, query: query(text) }));
    const index = buildSubscriptionIndex(subscriptions);
    const calls: number[][] = [];
    const paper = papers.find((p) => p.id === '2603.00048')!;
    index.forEachMatch(paperTokens(paper), (ids) => calls.push([...ids]));
    expect(calls.sort((a, b) => a[0]! - b[0]!)).toEqual([[0, 1, 2, 5], [3], [4]]);
    expect(index.match(paper)).toEqual(naive(subscriptions, paper));
  });

  it('takes subscriptions out and files new ones after it was built', () => {
    const index = buildSubscriptionIndex([
      { id: 1, query: query('grokking') },
      { id: 2, query: query('grokking') },
    ]);
    const paper = papers.find((p) => p.id === '2603.00048')!;
    expect(index.remove(1)).toBe(true);
    expect(index.remove(1)).toBe(false);
    expect(index.match(paper)).toEqual([2]);
    index.remove(2);
    expect([index.size, index.match(paper)]).toEqual([0, []]);
    index.add({ id: 3, query: query('grokking') });
    index.add({ id: 4, query: query('author:"Ziming Liu"') });
    expect(index.match(paper)).toEqual([3, 4]);
  });

  it('handles an empty index and papers with empty fields', () => {
    expect(buildSubscriptionIndex([]).match(papers[0]!)).toEqual([]);
    const bare = makePaper({ id: '2603.00000', title: '', abstract: '', authors: [], aiKeywords: [] });
    expect(buildSubscriptionIndex([{ id: 1, query: query('grokking') }]).match(bare)).toEqual([]);
  });
});

describe('alert matching', () => {
  it('matches tens of thousands of subscriptions in slices, giving the event loop turns, with the index\'s result', async () => {
    const rng = createRng(77);
    const subscriptions: Subscription[] = [];
    for (let id = 1; subscriptions.length < 20_000; id++) {
      const text = randomQuery(rng, papers);
      if (parseQuery(text).ok) subscriptions.push({ id, channel: { platform: 'slack', id: `C${String(id % 500).padStart(8, '0')}` }, query: text, createdBy: 'U1', createdAt: new Date(0) });
    }
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const matched = await SubscriptionMatcher.matchList(subscriptions, papers);
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);

    // Every channel's first matching subscription per paper, as the index finds them in one go.
    const index = buildSubscriptionIndex(subscriptions.map((s) => ({ id: s, query: query(s.query) })));
    const expected = new Map<string, string[]>();
    for (const paper of papers) {
      for (const s of index.match(paper)) {
        const ids = expected.get(s.channel.id) ?? [];
        if (!ids.includes(paper.id)) ids.push(paper.id);
        expected.set(s.channel.id, ids);
      }
    }
    expect(new Map([...matched].map(([key, found]) => [key.replace('slack:', ''), found.papers.map((paper) => paper.id)]))).toEqual(expected);
  });
});
