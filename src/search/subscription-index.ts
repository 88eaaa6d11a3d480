import { matchesTokens } from './match.js';
import { AUTHORS_FIELD, paperTokens, type PaperTokens, type SearchablePaper } from './paper-tokens.js';
import type { ParsedQuery, QueryTerm } from './query.js';

export interface IndexedSubscription<Id> {
  id: Id;
  query: ParsedQuery;
}

export interface SubscriptionIndex<Id> {
  readonly size: number;
  /** Ids of the subscriptions whose query matches the paper, in the order they were given. */
  match(paper: SearchablePaper): Id[];
  /** `match` for a paper already tokenised with `paperTokens`. */
  matchTokens(paper: PaperTokens): Id[];
}

/**
 * Matches many subscriptions against new papers without running every query on every paper (DESIGN §8).
 *
 * A matching paper satisfies every clause of a query, so one clause per subscription, its "anchor", is enough
 * to find candidates. Each anchor term is filed in a token trie under its first one to three tokens (a 1–3-gram:
 * any occurrence of the phrase starts with it); author terms go in a second trie that only author names reach.
 * A paper walks the tries from each of its distinct tokens, and goes deeper (2-, 3-grams) only at positions
 * where some key continues. Candidates are then checked in full with `matchesTokens` (unless the hit itself
 * proves the match: a one-clause query without exclusions whose terms are whole keys), so the result is exactly
 * the naive loop's.
 */
export function buildSubscriptionIndex<Id>(subscriptions: Iterable<IndexedSubscription<Id>>): SubscriptionIndex<Id> {
  const builder = subscriptionIndexBuilder<Id>();
  for (const subscription of subscriptions) builder.add(subscription);
  return builder.build();
}

/** The index built one subscription at a time, so a caller can give the event loop turns in between. */
export function subscriptionIndexBuilder<Id>(): { add(subscription: IndexedSubscription<Id>): void; build(): SubscriptionIndex<Id> } {
  const entries: IndexedSubscription<Id>[] = [];
  const anyTrie: Trie = new Map();
  const authorTrie: Trie = new Map();
  const unanchored: number[] = [];
  /** A trie hit proves the match: one clause, no exclusions, every term a whole key (≤ 3 tokens). */
  const exactIndices: number[] = [];
  return {
    add(subscription) {
      const index = entries.push(subscription) - 1;
      const { query } = subscription;
      const anchor = chooseAnchor(query);
      if (!anchor) {
        unanchored.push(index);
        return;
      }
      for (const term of anchor) file(term.field === 'author' ? authorTrie : anyTrie, term.tokens.slice(0, MAX_GRAM), index);
      if (query.clauses.length === 1 && query.excluded.length === 0 && anchor.every((term) => term.tokens.length <= MAX_GRAM)) exactIndices.push(index);
    },
    build() {
      const exact = new Uint8Array(entries.length);
      for (const index of exactIndices) exact[index] = 1;
      return indexOver(entries, anyTrie, authorTrie, unanchored, exact);
    },
  };
}

function indexOver<Id>(entries: IndexedSubscription<Id>[], anyTrie: Trie, authorTrie: Trie, unanchored: number[], exact: Uint8Array): SubscriptionIndex<Id> {
  // Candidate de-duplication without a Set per paper: `seen[i] === stamp` means already collected.
  const seen = new Uint32Array(entries.length);
  let stamp = 0;

  const matchTokens = (paper: PaperTokens): Id[] => {
    stamp = stamp === 0xffffffff ? (seen.fill(0), 1) : stamp + 1;
    const candidates: number[] = [];
    const collect = (indices: readonly number[]) => {
      for (const index of indices) {
        if (seen[index] !== stamp) {
          seen[index] = stamp;
          candidates.push(index);
        }
      }
    };
    collect(unanchored);
    for (const [token, places] of paper.occurrences) {
      walk(anyTrie, token, places, paper, false, collect);
      if (authorTrie.size > 0) walk(authorTrie, token, places, paper, true, collect);
    }
    candidates.sort((a, b) => a - b);
    const ids: Id[] = [];
    for (const index of candidates) {
      const entry = entries[index]!;
      if (exact[index] === 1 || matchesTokens(entry.query, paper)) ids.push(entry.id);
    }
    return ids;
  };

  return {
    size: entries.length,
    matchTokens,
    match: (paper) => matchTokens(paperTokens(paper)),
  };
}

const MAX_GRAM = 3;

/** token → subscriptions whose key ends here, and longer keys continuing with the next token. */
type Trie = Map<string, TrieNode>;
interface TrieNode {
  here: number[];
  next: Trie | null;
}

function file(trie: Trie, gram: readonly string[], index: number): void {
  let level = trie;
  for (let i = 0; i < gram.length; i++) {
    let node = level.get(gram[i]!);
    if (!node) level.set(gram[i]!, (node = { here: [], next: null }));
    if (i === gram.length - 1) {
      if (node.here[node.here.length - 1] !== index) node.here.push(index);
      return;
    }
    level = node.next ??= new Map();
  }
}

function walk(trie: Trie, token: string, places: readonly number[], paper: PaperTokens, authorsOnly: boolean, collect: (indices: readonly number[]) => void): void {
  const node = trie.get(token);
  if (!node) return;
  if (node.here.length > 0 && (!authorsOnly || places.some((place) => (place & 3) === AUTHORS_FIELD))) collect(node.here);
  if (!node.next) return;
  for (const place of places) {
    const field = place & 3;
    if (authorsOnly && field !== AUTHORS_FIELD) continue;
    const tokens = paper.fields[field]!;
    let level: Trie | null = node.next;
    for (let pos = (place >> 2) + 1; level && pos < tokens.length; pos++) {
      const deeper = level.get(tokens[pos]!);
      if (!deeper) break;
      if (deeper.here.length > 0) collect(deeper.here);
      level = deeper.next;
    }
  }
}

/**
 * The clause with the fewest likely candidates: few terms, long phrases, long (rarer) words. A heuristic;
 * any clause gives the same final result, only the number of candidates to verify changes.
 */
function chooseAnchor(query: ParsedQuery): QueryTerm[] | null {
  let best: QueryTerm[] | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const clause of query.clauses) {
    if (clause.length === 0 || clause.some((term) => term.tokens.length === 0)) continue;
    const cost = clause.reduce((sum, term) => sum + termCost(term), 0);
    if (cost < bestCost) {
      best = clause;
      bestCost = cost;
    }
  }
  return best;
}

function termCost(term: QueryTerm): number {
  const gram = term.tokens.slice(0, MAX_GRAM);
  const longest = Math.max(...gram.map((token) => token.length));
  return (term.field === 'author' ? 0.5 : 1) / (10 ** (gram.length - 1) * longest);
}
