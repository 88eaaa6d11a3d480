import { matchesTokens } from './match.js';
import { AUTHORS_FIELD, paperTokens, type PaperTokens, type SearchablePaper } from './paper-tokens.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import { ShardedMap } from '../util/sharded-map.js';

export interface IndexedSubscription<Id> {
  id: Id;
  query: ParsedQuery;
}

export interface SubscriptionIndex<Id> {
  /** Subscriptions in the index now. */
  readonly size: number;
  /** Files one more subscription; the index stays usable in between (it is kept for as long as the process runs). */
  add(subscription: IndexedSubscription<Id>): void;
  /** Takes a subscription out; false when it was not in the index. */
  remove(id: Id): boolean;
  /** Ids of the subscriptions whose query matches the paper, in the order they were added. */
  match(paper: SearchablePaper): Id[];
  /**
   * The fast path: calls `onMatch` once per distinct query that matches the paper, in no particular order, with
   * every subscription that has that query (the array is the index's own: read it, don't keep or change it).
   */
  forEachMatch(paper: PaperTokens, onMatch: (ids: readonly Id[]) => void): void;
}

/**
 * Matches many subscriptions against new papers without running every query on every paper.
 *
 * Subscriptions with the same query (after parsing: case, stemming and spacing folded) share one entry, so a topic
 * a thousand channels follow is checked once per paper. A matching paper satisfies every clause of a query, so one
 * clause per entry, its "anchor", is enough to find candidates. Each anchor term is filed in a token trie under its
 * first one to three tokens (a 1–3-gram: any occurrence of the phrase starts with it); author terms go in a second
 * trie that only author names reach. A paper walks the tries from each of its distinct tokens, and goes deeper
 * (2-, 3-grams) only at positions where some key continues. A hit that proves the whole query is reported at once;
 * other candidates are then checked with `matchesTokens`, in full or, when the hit proves the anchor clause, for
 * the rest of the query only, so the result is exactly the naive loop's.
 */
export function buildSubscriptionIndex<Id>(subscriptions: Iterable<IndexedSubscription<Id>>): SubscriptionIndex<Id> {
  const index = createSubscriptionIndex<Id>();
  for (const subscription of subscriptions) index.add(subscription);
  return index;
}

export interface SubscriptionIndexOptions {
  /**
   * In how many papers a token occurs, where known (undefined: unknown). Picks each query's rarest clause as its
   * anchor: "diffusion sparsity" anchored on the common word made every diffusion paper a candidate to reject.
   */
  documentFrequency?: (token: string) => number | undefined;
}

export function createSubscriptionIndex<Id>(options: SubscriptionIndexOptions = {}): SubscriptionIndex<Id> {
  // An entry's parts in parallel arrays rather than an object each: the hot loops read one of them per hit.
  const entryIds: Id[][] = [];
  /**
   * What a trie hit leaves to check: the whole query, or, when the hit proves the anchor clause (every term a whole
   * key of ≤ 3 tokens), only the other clauses and the exclusions; null when the hit proves the match.
   */
  const entryChecks: (ParsedQuery | null)[] = [];
  // Sharded: these reach 100k entries, filed on the event loop, and a plain Map's growth step held it 26 ms.
  const entryByKey = new ShardedMap<string, number>();
  const entryOfId = new ShardedMap<Id, number>();
  /** Insertion order, for `match`'s stable result. */
  const order = new ShardedMap<Id, number>();
  let added = 0;
  const anyTrie: Trie = new Map();
  const authorTrie: Trie = new Map();
  const unanchored: number[] = [];
  // Candidate de-duplication without a Set per paper: `seen[i] === stamp` means already collected.
  let seen = new Uint32Array(1024);
  let stamp = 0;

  const newEntry = (query: ParsedQuery): number => {
    const entry = entryIds.push([]) - 1;
    entryChecks.push(query);
    if (entry >= seen.length) {
      const grown = new Uint32Array(seen.length * 2);
      grown.set(seen);
      seen = grown;
    }
    const anchor = chooseAnchor(query, options.documentFrequency);
    if (!anchor) unanchored.push(entry);
    else {
      for (const term of anchor) file(term.field === 'author' ? authorTrie : anyTrie, term.tokens.slice(0, MAX_GRAM), entry);
      if (anchor.every((term) => term.tokens.length <= MAX_GRAM)) {
        const clauses = query.clauses.filter((clause) => clause !== anchor);
        entryChecks[entry] = clauses.length === 0 && query.excluded.length === 0 ? null : { ...query, clauses };
      }
    }
    return entry;
  };

  // Reused by every paper: a match run allocates next to nothing per paper.
  let candidates = new Int32Array(1024);
  let count = 0;
  let report: (ids: readonly Id[]) => void = () => undefined;
  // A hit on an entry the hit alone proves is reported at once; the others are checked after the walk.
  const collect = (indices: readonly number[]) => {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (seen[index] === stamp) continue;
      seen[index] = stamp;
      if (entryChecks[index] === null) {
        const ids = entryIds[index]!;
        if (ids.length > 0) report(ids);
        continue;
      }
      if (count === candidates.length) {
        const grown = new Int32Array(count * 2);
        grown.set(candidates);
        candidates = grown;
      }
      candidates[count++] = index;
    }
  };

  const forEachMatch = (paper: PaperTokens, onMatch: (ids: readonly Id[]) => void): void => {
    stamp = stamp === 0xffffffff ? (seen.fill(0), 1) : stamp + 1;
    count = 0;
    report = onMatch;
    collect(unanchored);
    for (const [token, places] of paper.occurrences) {
      walk(anyTrie, token, places, paper, false, collect);
      if (authorTrie.size > 0) walk(authorTrie, token, places, paper, true, collect);
    }
    for (let i = 0; i < count; i++) {
      const index = candidates[i]!;
      const ids = entryIds[index]!;
      if (ids.length > 0 && matchesTokens(entryChecks[index]!, paper)) onMatch(ids);
    }
  };

  return {
    get size() {
      return entryOfId.size;
    },
    add({ id, query }) {
      if (entryOfId.has(id)) return;
      const key = queryKey(query);
      let entry = entryByKey.get(key);
      if (entry === undefined) entryByKey.set(key, (entry = newEntry(query)));
      entryIds[entry]!.push(id);
      entryOfId.set(id, entry);
      order.set(id, added++);
    },
    remove(id) {
      const entry = entryOfId.get(id);
      if (entry === undefined) return false;
      const ids = entryIds[entry]!;
      ids.splice(ids.indexOf(id), 1);
      entryOfId.delete(id);
      order.delete(id);
      // An emptied entry stays filed (tries have no cheap delete) and is skipped; the same query reuses it.
      return true;
    },
    forEachMatch,
    match(paper) {
      const ranked: { rank: number; id: Id }[] = [];
      forEachMatch(paperTokens(paper), (matched) => {
        for (const id of matched) ranked.push({ rank: order.get(id)!, id });
      });
      return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.id);
    },
  };
}

/** One key per distinct meaning: the display text is left out, so `LLM` and `llm` share an entry. */
function queryKey(query: ParsedQuery): string {
  const term = (t: QueryTerm) => `${t.field === 'author' ? '@' : ''}${t.tokens.join(' ')}`;
  return `${query.clauses.map((clause) => clause.map(term).join('|')).join('&')}!${query.excluded.map(term).join('|')}`;
}

const MAX_GRAM = 3;

/** token → entries whose key ends here, and longer keys continuing with the next token. */
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
 * The clause with the fewest likely candidates. With document frequencies: the clause whose terms are in the
 * fewest papers (a term counts its rarest token, as a phrase is no commoner than any of its words). Without, and
 * between equal counts: few terms, long phrases, long (rarer) words. Any clause gives the same final result, only
 * the number of candidates to verify changes.
 */
function chooseAnchor(query: ParsedQuery, documentFrequency?: (token: string) => number | undefined): QueryTerm[] | null {
  let best: QueryTerm[] | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const clause of query.clauses) {
    if (clause.length === 0 || clause.some((term) => term.tokens.length === 0)) continue;
    const cost = clause.reduce((sum, term) => sum + termCost(term, documentFrequency), 0);
    if (cost < bestCost) {
      best = clause;
      bestCost = cost;
    }
  }
  return best;
}

function termCost(term: QueryTerm, documentFrequency?: (token: string) => number | undefined): number {
  const gram = term.tokens.slice(0, MAX_GRAM);
  if (!documentFrequency) return heuristicCost(gram, term);
  // A token no stored paper has is in none yet. The guess (at most 1) only breaks ties between equal counts.
  let rarest = Number.POSITIVE_INFINITY;
  for (const token of gram) rarest = Math.min(rarest, documentFrequency(token) ?? 0);
  return rarest + heuristicCost(gram, term);
}

function heuristicCost(gram: readonly string[], term: QueryTerm): number {
  const longest = Math.max(...gram.map((token) => token.length));
  return (term.field === 'author' ? 0.5 : 1) / (10 ** (gram.length - 1) * longest);
}
