import { paperTokens } from '../../src/search/paper-tokens.js';
import { matchesTokens } from '../../src/search/match.js';
import { parseQuery } from '../../src/search/parse.js';
import type { ParsedQuery } from '../../src/search/query.js';
import { buildSubscriptionIndex } from '../../src/search/subscription-index.js';
import { createRng, pick, type Rng } from '../lib/rng.js';
import { time } from '../lib/stats.js';
import { generateCorpus, type Pools } from './corpus.js';
import { ftsOracle } from './fts-oracle.js';
import type { Paper } from '../../src/papers/paper.js';

export interface SubscriptionReport {
  subscriptions: number;
  papers: number;
  buildMs: number;
  indexMs: number;
  naiveMs: number;
  matches: number;
  identical: boolean;
}

const BROAD_TOPICS = ['diffusion', 'agents', 'robotics', 'speech', '"reinforcement learning"', '3D', '"video generation"', '"code generation"', 'multimodal', 'benchmark'];

/**
 * What people subscribe to: mostly specific topics (an AI keyword phrase, an uncommon title word, an author),
 * sometimes a broad one, an OR of two topics or a topic minus a word.
 */
export function subscriptionTexts(rng: Rng, pools: Pools, count: number): string[] {
  // Title words that few papers mention anywhere (2 to 0.2% of papers): the niche topics people follow.
  const inTitles = new Set(pools.titles.flatMap((title) => title.toLowerCase().split(/[\s:,]+/).filter((w) => /^[a-z]{6,}$/.test(w))));
  const documentFrequency = new Map<string, number>();
  pools.titles.forEach((title, i) => {
    for (const word of new Set(`${title} ${pools.sentences[i]!.join(' ')}`.toLowerCase().match(/[a-z]+/g) ?? [])) {
      if (inTitles.has(word)) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    }
  });
  const byRarity = [...documentFrequency].filter(([, n]) => n >= 2).sort((a, b) => a[1] - b[1]);
  const rare = byRarity.filter(([, n]) => n <= pools.titles.length / 500);
  const uncommon = (rare.length >= 20 ? rare : byRarity.slice(0, 20)).map(([word]) => word);
  const keywords = pools.keywordLists.flat().filter((k) => k.length >= 4 && !k.includes('"'));
  const keyword = () => {
    const k = keywords.length > 0 ? pick(rng, keywords) : pick(rng, uncommon);
    return k.includes(' ') || k.includes('-') ? `"${k}"` : k;
  };
  const texts: string[] = [];
  while (texts.length < count) {
    const r = rng();
    if (r < 0.3) texts.push(keyword());
    else if (r < 0.5) texts.push(`author:"${pick(rng, pools.authors).replaceAll('"', '')}"`);
    else if (r < 0.65) texts.push(pick(rng, uncommon));
    else if (r < 0.75) texts.push(`${keyword()} OR ${keyword()}`);
    else if (r < 0.88) texts.push(`${keyword()} -${pick(rng, uncommon)}`);
    else if (r < 0.93) texts.push(pick(rng, BROAD_TOPICS));
    else texts.push(`${pick(rng, BROAD_TOPICS)} ${pick(rng, uncommon)}`);
  }
  return texts;
}

/** Matches `count` subscriptions against `paperCount` new papers with the index and with the naive loop. */
export function measureSubscriptions(pools: Pools, count: number, paperCount: number): SubscriptionReport {
  const rng = createRng(314);
  const subscriptions: { id: number; query: ParsedQuery }[] = [];
  for (const text of subscriptionTexts(rng, pools, count * 2)) {
    const parsed = parseQuery(text);
    if (parsed.ok) subscriptions.push({ id: subscriptions.length + 1, query: parsed.query });
    if (subscriptions.length === count) break;
  }
  const papers = generateCorpus(pools, paperCount, 777).map((entry) => entry.paper);

  const built = time(() => buildSubscriptionIndex(subscriptions));
  // Warm both paths up (JIT, stem cache) on other papers, so the timings below are steady-state.
  for (const paper of generateCorpus(pools, 20, 778).map((entry) => entry.paper)) {
    built.result.match(paper);
    const tokens = paperTokens(paper);
    for (const sub of subscriptions) matchesTokens(sub.query, tokens);
  }
  const indexed = time(() => papers.map((paper) => built.result.match(paper)));
  const naive = time(() =>
    papers.map((paper) => {
      const tokens = paperTokens(paper);
      return subscriptions.filter((sub) => matchesTokens(sub.query, tokens)).map((sub) => sub.id);
    }),
  );
  return {
    subscriptions: count,
    papers: paperCount,
    buildMs: built.ms,
    indexMs: indexed.ms,
    naiveMs: naive.ms,
    matches: indexed.result.reduce((sum, ids) => sum + ids.length, 0),
    identical: JSON.stringify(indexed.result) === JSON.stringify(naive.result) && agreesWithOracle(subscriptions, papers, indexed.result),
  };
}

/** The index's result against SQLite FTS5's, per subscription (the naive loop shares `matchesTokens` with it). */
function agreesWithOracle(subscriptions: { id: number; query: ParsedQuery }[], papers: Paper[], matched: number[][]): boolean {
  const expected = ftsOracle(subscriptions.map((s) => ({ key: String(s.id), query: s.query.text })), papers);
  const got = new Map<string, string[]>();
  matched.forEach((ids, i) => {
    for (const id of ids) got.set(String(id), [...(got.get(String(id)) ?? []), papers[i]!.id]);
  });
  return got.size === expected.size && [...got].every(([key, ids]) => ids.sort().join(' ') === expected.get(key));
}
