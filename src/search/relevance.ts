import { tokenizeMemo } from './normalise.js';
import { termKey } from './parse.js';
import type { ParsedQuery, QueryTerm } from './query.js';

/**
 * Text relevance of a paper already known to match a query: a field-weighted BM25 (BM25F-style) that a back end
 * can compute without FTS5's `bm25()`, whose IDF step walks every row containing each phrase (see
 * store/sqlite/search-papers.ts for why that is too slow on common words).
 *
 * Per clause, the best of its terms counts: idf(term) × (TITLE·sat(tf in title) + KEYWORDS·sat(tf in keywords)),
 * with BM25's saturation and length normalisation (k1 = 1.2, b = 0.75). When none of a clause's terms is in the
 * title or keywords, the clause matched in the abstract or the author list (the paper matched, after all), and
 * it counts idf × ABSTRACT, or × AUTHORS for author: terms. Titles and keywords are short, so they are
 * tokenised here from the stored text; abstracts are not, so an abstract hit counts once whatever its frequency.
 */
export const FIELD_WEIGHTS = { title: 8, keywords: 4, abstract: 1, authors: 0.5 } as const;

const K1 = 1.2;
const B = 0.75;
/** Mean token counts of titles and of non-empty keyword lists in the real Daily Papers corpus. */
const AVERAGE_TITLE_TOKENS = 11;
const AVERAGE_KEYWORD_TOKENS = 26;

export interface RelevanceInput {
  title: string;
  /** The AI keywords, or their JSON array text as stored (then parsed only when a term may occur in it). */
  keywords: readonly string[] | { json: string };
}

export type RelevanceScorer = (paper: RelevanceInput) => number;

/**
 * Prepares the per-query part once (term weights, probes) for scoring many candidates. `idf` maps
 * `termKey(term)` to the term's inverse document frequency; a missing entry counts as 1.
 */
export function prepareRelevance(query: ParsedQuery, idf: ReadonlyMap<string, number>): RelevanceScorer {
  const clauses = query.clauses.map((clause) => {
    let fallback = Number.POSITIVE_INFINITY;
    const terms: ScoredTerm[] = [];
    for (const term of clause) {
      const weight = idf.get(termKey(term)) ?? 1;
      fallback = Math.min(fallback, weight * (term.field === 'author' ? FIELD_WEIGHTS.authors : FIELD_WEIGHTS.abstract));
      if (term.field !== 'author' && term.tokens.length > 0) terms.push({ weight, tokens: term.tokens, probe: probeFor(term.tokens[0]!) });
    }
    return { terms, fallback: Number.isFinite(fallback) ? fallback : 0 };
  });

  return (paper) => {
    const title = new LazyField(paper.title, null, AVERAGE_TITLE_TOKENS);
    const keywords = 'json' in paper.keywords ? new LazyField(paper.keywords.json, paper.keywords.json, AVERAGE_KEYWORD_TOKENS) : new LazyField(paper.keywords.join(' . '), null, AVERAGE_KEYWORD_TOKENS);
    let total = 0;
    for (const clause of clauses) {
      let best = 0;
      for (const term of clause.terms) {
        const score = FIELD_WEIGHTS.title * title.score(term) + FIELD_WEIGHTS.keywords * keywords.score(term);
        if (score > 0) best = Math.max(best, term.weight * score);
      }
      total += best > 0 ? best : clause.fallback;
    }
    return total;
  };
}

/** One-off `prepareRelevance(query, idf)(paper)`. */
export function relevance(query: ParsedQuery, paper: RelevanceInput, idf: ReadonlyMap<string, number>): number {
  return prepareRelevance(query, idf)(paper);
}

/** Robertson–Spärck Jones IDF as BM25 uses it (never negative). */
export function inverseDocumentFrequency(documents: number, containing: number): number {
  return Math.log(1 + (Math.max(documents, containing) - containing + 0.5) / (containing + 0.5));
}

/** Distinct positive terms (the ones that score); exclusions never do. */
export function scoringTerms(query: ParsedQuery): QueryTerm[] {
  const seen = new Map<string, QueryTerm>();
  for (const clause of query.clauses) for (const term of clause) seen.set(termKey(term), term);
  return [...seen.values()];
}

interface ScoredTerm {
  weight: number;
  tokens: readonly string[];
  /** A substring every text containing tokens[0] contains, once lower-cased (see LazyField). */
  probe: string;
}

/**
 * For plain ASCII text, a Porter stem minus its last letter is always a prefix of the word it came from (checked
 * over the 69k distinct words of the real corpus, and true of every rule), so that is a safe probe.
 */
function probeFor(token: string): string {
  return token.length > 2 && /^[a-z]+$/.test(token) ? token.slice(0, -1) : token;
}

/** Text with anything but printable ASCII (apostrophes included) is tokenised rather than probed. */
const NOT_PLAIN = /[^\x20-\x26\x28-\x7e]/;

/**
 * A short field tokenised only when needed: most candidates do not have a given term in their title, and a
 * substring test on the lower-cased text proves it without tokenising.
 */
class LazyField {
  private lower: string | null = null;
  private tokens: readonly string[] | null = null;

  /** `json`: the field is a JSON array of strings (tokenised as is when it has no escapes, else parsed). */
  constructor(
    private readonly text: string,
    private readonly json: string | null,
    private readonly averageLength: number,
  ) {}

  /** BM25 saturation of the term's frequency in this field (0 when absent). */
  score(term: ScoredTerm): number {
    if (this.text.length === 0 || this.text === '[]') return 0;
    if (!this.tokens) {
      this.lower ??= NOT_PLAIN.test(this.text) ? '' : this.text.toLowerCase();
      if (this.lower !== '' && !this.lower.includes(term.probe)) return 0;
      this.tokens = tokenizeMemo(this.json !== null && this.json.includes('\\') ? (JSON.parse(this.json) as string[]).join(' . ') : this.text);
    }
    const tf = countPhrase(this.tokens, term.tokens);
    if (tf === 0) return 0;
    return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.tokens.length) / this.averageLength));
  }
}

function countPhrase(tokens: readonly string[], phrase: readonly string[]): number {
  let count = 0;
  const last = tokens.length - phrase.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let k = 0; k < phrase.length; k++) if (tokens[i + k] !== phrase[k]) continue outer;
    count++;
  }
  return count;
}
