import { GenerationalCache } from '../util/generational-cache.js';
import { stemWord, tokenizeMemo } from './normalise.js';
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
  /**
   * Identifies the paper (a store's rowid): what scoring derives from its title and keywords is then remembered
   * between searches, and checked against the text, so a paper whose text changed is never scored from stale data.
   */
  id?: number;
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
      if (term.field !== 'author' && term.tokens.length > 0) terms.push({ weight, tokens: term.tokens, probe: probeFor(term.tokens[0]!), wordStart: wordStartFor(term.tokens[0]!) });
    }
    return { terms, fallback: Number.isFinite(fallback) ? fallback : 0 };
  });

  return (paper) => {
    const fields = paperFields(paper);
    const title = new LazyField(fields[0], AVERAGE_TITLE_TOKENS);
    const keywords = new LazyField(fields[1], AVERAGE_KEYWORD_TOKENS);
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
  /** How every plain-ASCII word whose token is tokens[0] begins, once lower-cased (see countPlainPhrase). */
  wordStart: string;
}

/**
 * For plain ASCII text, a Porter stem minus its last letter is always a prefix of the word it came from (checked
 * over the 69k distinct words of the real corpus, and true of every rule), so that is a safe probe.
 */
function probeFor(token: string): string {
  return token.length > 2 && /^[a-z]+$/.test(token) ? token.slice(0, -1) : token;
}

/**
 * A stem of three letters or more minus its last letter is its word's prefix (see probeFor); a shorter one can end
 * in a letter its word doesn't have ("ayed" → "ai"), but no rule ever changes a word's first letter. Tokens with
 * digits (or other than a–z) are their words unchanged.
 */
function wordStartFor(token: string): string {
  if (!/^[a-z]+$/.test(token)) return token;
  return token.length > 2 ? token.slice(0, -1) : token.slice(0, 1);
}

/** Text with anything but printable ASCII (apostrophes included) is tokenised rather than probed. */
const NOT_PLAIN = /[^\x20-\x26\x28-\x7e]/;

/** A field's text and what scoring derives from it, whichever the query: kept with the paper between searches. */
class FieldText {
  /** The lower-cased text when plain (probed), '' when not; null until first needed. */
  lower: string | null = null;
  /** Plain and counted by scanning (see LazyField): not a JSON array with escapes, which is parsed and tokenised. */
  scan = false;
  /** Token count when scanned, -1 until needed. */
  words = -1;

  /** `json`: the text is a JSON array of strings (tokenised as is when it has no escapes, else parsed). */
  constructor(
    readonly text: string,
    readonly json: boolean,
  ) {}
}

/**
 * The title and keywords of a paper as FieldTexts, those of a paper with an `id` remembered: most of a search's
 * candidates (the newest matches) are candidates of many searches, and lower-casing and counting each field
 * again was a fifth of the ranking. Two generations of at most FIELDS_GENERATION papers each (a few MB); keyed
 * by a number, so a lookup hashes no text. A paper whose text changed is made again.
 */
function paperFields(paper: RelevanceInput): readonly [FieldText, FieldText] {
  const json = 'json' in paper.keywords;
  const keywords = 'json' in paper.keywords ? paper.keywords.json : paper.keywords.join(' . ');
  const id = paper.id;
  let fields = id === undefined ? undefined : fieldsById.get(id, ([title, words]) => title.text === paper.title && words.text === keywords && words.json === json);
  if (fields) return fields;
  fields = [new FieldText(paper.title, false), new FieldText(keywords, json)];
  if (id !== undefined) fieldsById.set(id, fields);
  return fields;
}

export const FIELDS_GENERATION = 4_096;
const fieldsById = new GenerationalCache<number, readonly [FieldText, FieldText]>(FIELDS_GENERATION);

/**
 * A short field tokenised only when needed: most candidates do not have a given term in their title, and a
 * substring test on the lower-cased text proves it without tokenising. Plain text is never tokenised at all: its
 * tokens are its runs of a–z and 0–9, each stemmed, so a term is counted by stemming only the words that begin
 * like it, and the field's length is its count of runs. That spares searches a token array per candidate field,
 * which no bounded memo kept for long over a store of thousands of papers.
 */
class LazyField {
  /** Set once a term got past the probe: from then on every term is counted (the probe only ever skips work). */
  private open = false;
  private tokens: readonly string[] | null = null;

  constructor(
    private readonly field: FieldText,
    private readonly averageLength: number,
  ) {}

  /** BM25 saturation of the term's frequency in this field (0 when absent). */
  score(term: ScoredTerm): number {
    const field = this.field;
    const text = field.text;
    if (text.length === 0 || text === '[]') return 0;
    if (field.lower === null) {
      field.lower = NOT_PLAIN.test(text) ? '' : text.toLowerCase();
      field.scan = field.lower !== '' && !(field.json && text.includes('\\'));
    }
    if (!this.open && field.lower !== '' && !field.lower.includes(term.probe)) return 0;
    this.open = true;
    let tf: number;
    let length: number;
    if (field.scan) {
      tf = countPlainPhrase(field.lower, term);
      if (tf === 0) return 0;
      if (field.words < 0) field.words = countWords(field.lower);
      length = field.words;
    } else {
      this.tokens ??= tokenizeMemo(field.json && text.includes('\\') ? (JSON.parse(text) as string[]).join(' . ') : text);
      tf = countPhrase(this.tokens, term.tokens);
      length = this.tokens.length;
    }
    if (tf === 0) return 0;
    return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.averageLength));
  }
}

/** `countPhrase` over the tokens of lower-cased plain text, stemming only words that begin with `term.wordStart`. */
function countPlainPhrase(text: string, term: ScoredTerm): number {
  const phrase = term.tokens;
  let count = 0;
  for (let at = text.indexOf(term.wordStart); at !== -1; at = text.indexOf(term.wordStart, at + 1)) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    let start = at;
    for (let k = 0; ; k++) {
      let end = start + 1;
      while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
      if (stemWord(text.slice(start, end)) !== phrase[k]) break;
      if (k + 1 === phrase.length) {
        count++;
        break;
      }
      start = end;
      while (start < text.length && !isWordChar(text.charCodeAt(start))) start++;
      if (start === text.length) break;
    }
  }
  return count;
}

/** Runs of a–z and 0–9 in lower-cased plain text: its token count. */
function countWords(text: string): number {
  // Branch-free (a table and bit operations): word and gap alternate every few characters, which defeats branch
  // prediction, and this runs for most candidate fields of every search.
  let count = 0;
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const word = WORD_CHAR[text.charCodeAt(i) & 0x7f]!;
    count += word & ~previous;
    previous = word;
  }
  return count;
}

/** 1 for a–z and 0–9, by character code (plain text is ASCII). */
const WORD_CHAR = new Uint8Array(128).map((_, code) => ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) ? 1 : 0));

function isWordChar(code: number): boolean {
  return WORD_CHAR[code & 0x7f] === 1;
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
