import { GenerationalCache } from '../util/generational-cache.js';
import { porterStem } from './porter.js';

/**
 * The one text normaliser behind search: the store indexes `indexText(field)` and queries, subscriptions and the
 * in-memory matcher all go through `tokenize`, so `/papers X` and a subscription to X always agree.
 *
 * Steps: NFKC (ligatures, full-width forms) → lower case → a few full case folds (ß → ss, final σ) → strip
 * diacritics (é → e; kana voicing marks survive) → apostrophes inside words join (model's → models) → tokens are
 * runs of Unicode letters and digits → Han/kana/Thai-family characters become one token each (those scripts have
 * no spaces, so a word is found as a phrase of characters) → a–z words are Porter-stemmed.
 *
 * Tokens contain only characters FTS5's unicode61 tokenizer treats as token characters (letters, digits; every
 * combining mark is dropped), so FTS5 splits `indexText` output on spaces and nowhere else.
 */
export function tokenize(text: string): string[] {
  const words = fold(text).match(WORD);
  if (!words) return [];
  // Rewrites `words` in place; only a word that splits into several tokens needs a second array.
  let spread: string[] | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const token = word.length <= 2 && ASCII_WORD.test(word) ? word : normaliseWord(word);
    if (typeof token !== 'string') (spread ??= words.slice(0, i)).push(...token);
    else if (spread) spread.push(token);
    else words[i] = token;
  }
  return spread ?? words;
}

/**
 * `tokenize` remembered for short texts (titles, keyword lists) that are tokenised again and again, e.g. the
 * newest papers, which sit in the candidate window of most searches. Two generations of at most
 * 4,096 texts each (GenerationalCache), so recently used texts stay. The array returned is shared: never modify it.
 */
export function tokenizeMemo(text: string): readonly string[] {
  if (text.length > MEMO_MAX_TEXT) return tokenize(text);
  let tokens = memo.get(text);
  if (!tokens) memo.set(text, (tokens = tokenize(text)));
  return tokens;
}

const MEMO_MAX_TEXT = 2_000;
const memo = new GenerationalCache<string, readonly string[]>(4_096);

/** The normalised tokens joined by single spaces: what the store writes into `papers_fts`. */
export function indexText(text: string): string {
  return tokenize(text).join(' ');
}

/** A run of letters and digits; apostrophes inside it are kept here and removed by `normaliseWord`. */
const WORD = /[\p{L}\p{N}]+(?:['\u2019\u02bc][\p{L}\p{N}]+)*/gu;
const APOSTROPHES = /['\u2019\u02bc]/g;
const ASCII_LETTERS = /^[a-z]+$/;
const NON_ASCII = /[\u0080-\uffff]/;
/** Combining diacritical marks (and their supplements) that NFD splits off Latin, Greek and Cyrillic letters. */
// eslint-disable-next-line no-misleading-character-class -- ranges of lone combining marks, removed one at a time on purpose
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
/** Any mark left after recomposition (Arabic harakat, Hebrew points, Indic vowel signs): FTS5 splits on them. */
const MARKS = /\p{M}+/gu;
const UNSEGMENTED_CHAR = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const UNSEGMENTED = new RegExp(UNSEGMENTED_CHAR.source, 'u');
const SPECIAL_FOLDS: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ' };
const SPECIAL_FOLD = /[ßς]/g;

function fold(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPECIAL_FOLD, (c) => SPECIAL_FOLDS[c] ?? c)
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(MARKS, '');
}

/** Each Han/kana/Thai-family character becomes its own token; other runs inside the word stay whole. */
function splitUnsegmented(word: string): string[] {
  const out: string[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push(ASCII_LETTERS.test(run) && run.length <= MAX_STEMMED_LENGTH ? stem(run) : run);
    run = '';
  };
  for (const char of word) {
    if (UNSEGMENTED_CHAR.test(char)) {
      flush();
      out.push(char);
    } else {
      run += char;
    }
  }
  flush();
  return out;
}

/**
 * Below 65,536: a Map that fills its table moves every entry in one synchronous step, and the step to 131,072
 * entries held the event loop 26–33 ms. This one is on the hot path, so it stays a plain Map, kept small.
 */
const WORD_CACHE_LIMIT = 60_000;
const MAX_STEMMED_LENGTH = 40;
const ASCII_WORD = /^[a-z0-9]+$/;
let wordCache = new Map<string, string | string[]>();

/**
 * One folded word (a run of letters and digits) → its token, or its tokens when the word is Han/kana/Thai-family
 * text. Memoised; the cache is dropped wholesale when it fills, which keeps memory bounded.
 */
function normaliseWord(raw: string): string | string[] {
  let token = wordCache.get(raw);
  if (token === undefined) {
    const word = raw.replace(APOSTROPHES, '');
    if (ASCII_LETTERS.test(word)) token = word.length > MAX_STEMMED_LENGTH ? word : stem(word);
    else if (UNSEGMENTED.test(word)) token = splitUnsegmented(word);
    else token = word;
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache = new Map();
    wordCache.set(raw, token);
  }
  return token;
}

/**
 * Classic Porter conflates a few word families that ML papers keep apart: "generation", "generalization" and
 * "generic" all become "gener"; "community"/"communication", "university"/"universal" and "organization"/"organic"
 * likewise (while British "organisation" stems apart from "organization"). As with Porter2's exceptional R1
 * prefixes (gener, commun, univers, organ), these stems are split again by the word's own prefix. Each
 * replacement stem minus its last letter is still a prefix of the word, which search/relevance.ts relies on.
 */
const OVERSTEMMED: ReadonlyMap<string, readonly (readonly [prefix: string, stem: string])[]> = new Map([
  ['gener', [['general', 'general'], ['generat', 'generat'], ['generic', 'generic']]],
  ['commun', [['communic', 'communic'], ['communit', 'communiti']]],
  ['univers', [['universit', 'universiti']]],
  ['organ', [['organiz', 'organiz'], ['organis', 'organiz'], ['organic', 'organic']]],
  ['organis', [['organis', 'organiz']]],
]);

function stem(word: string): string {
  const stemmed = porterStem(word);
  const splits = OVERSTEMMED.get(stemmed);
  if (splits) for (const [prefix, replacement] of splits) if (word.startsWith(prefix)) return replacement;
  return stemmed;
}

/** The token of one lower-case word of a–z and 0–9 (stemmed when all letters), as the index holds it (memoised). */
export function stemWord(word: string): string {
  const token = normaliseWord(word);
  return typeof token === 'string' ? token : word;
}
