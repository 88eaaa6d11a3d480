/**
 * A small extractive summariser for abstracts: split into sentences (aware of "e.g.", "et al.", decimals),
 * score each by position and by terms shared with the title, keep the best in their original order.
 */
import { cleanText } from './text.js';

// Lower-cased words that end with a period without ending the sentence ("et al." is checked as "al").
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'al', 'vs', 'cf', 'viz', 'approx', 'resp', 'w.r.t', 'fig', 'figs', 'eq', 'eqs', 'sec', 'secs',
  'tab', 'ref', 'refs', 'dr', 'prof', 'mr', 'mrs', 'ph.d', 'no', 'nos', 'vol', 'pp',
]);
const DOTTED_INITIALS = /^(?:\p{L}\.)+\p{L}$/u;
// Sentence end: terminal punctuation, optional closing quotes/brackets, whitespace, then something that starts a
// sentence (an upper-case letter or digit, possibly after an opening quote/bracket, or a camel-cased name like "iPhone").
const BOUNDARY = /([.!?])["'”’)\]]*\s+(?=["'“‘([]?(?:[\p{Lu}\p{N}]|\p{Ll}+\p{Lu}))/gu;

export function splitSentences(text: string): string[] {
  const folded = cleanText(text);
  const sentences: string[] = [];
  let start = 0;
  for (const match of folded.matchAll(BOUNDARY)) {
    const end = match.index + match[0].trimEnd().length;
    if (match[1] === '.' && isAbbreviation(folded.slice(start, match.index))) continue;
    sentences.push(folded.slice(start, end).trim());
    start = match.index + match[0].length;
  }
  const rest = folded.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter((sentence) => sentence.length > 0);
}

function isAbbreviation(before: string): boolean {
  const word = /(\S+)$/.exec(before)?.[1]?.replace(/^["'“‘([]+/, '') ?? '';
  if (word === '' ) return false;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return lower !== 'no' || word === 'No';
  return DOTTED_INITIALS.test(word);
}

const STOPWORDS = new Set(
  ('the and for with from that this these those into onto over under via using use used our their its are was were '
    + 'has have had been being can could may might will would should than then also such which while where when '
    + 'what who whom whose how both each other more most many much very well new novel paper work approach method '
    + 'methods propose proposed present presents introduce introduces show shows based towards toward through '
    + 'across between within without about large model models').split(' '),
);

/** Content terms: lower-cased words of 3+ letters, stop words out, a plural "s" folded. */
export function contentTerms(text: string): string[] {
  const words = text.toLowerCase().match(/\p{L}[\p{L}\p{N}]*(?:-[\p{L}\p{N}]+)*/gu) ?? [];
  return words
    .filter((word) => word.length >= 3 && !STOPWORDS.has(word))
    .map((word) => (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

const CONTRIBUTION = /\b(?:we|this paper|this work|this study)\s+(?:propose|introduce|present|develop|design|release|show|find|demonstrate)/i;
const RESULT = /\b(?:outperform|surpass|achiev|improv|state-of-the-art|sota|speed-?up|reduc)\w*/i;
const NUMBERS = /\d(?:\.\d+)?\s?(?:%|×|x\b)|\d+\.\d+|\bvs\./;
const BOILERPLATE = /https?:\/\/|\bgithub\b|\b(?:code|models?|data(?:set)?s?|weights) (?:is|are|will be) (?:publicly )?(?:available|released)|project page/i;

export interface ScoredSentence {
  text: string;
  index: number;
  score: number;
}

export function scoreSentences(sentences: string[], title: string): ScoredSentence[] {
  const titleTerms = new Set(contentTerms(title));
  return sentences.map((text, index) => {
    const terms = new Set(contentTerms(text));
    let shared = 0;
    for (const term of titleTerms) if (terms.has(term)) shared += 1;
    let score = 0.6 / (1 + 0.3 * index); // earlier sentences carry the problem and the contribution
    if (index === sentences.length - 1 && index > 0) score += 0.15; // the last one often states the result
    if (titleTerms.size > 0) score += (1.5 * shared) / titleTerms.size;
    if (CONTRIBUTION.test(text)) score += 0.8;
    if (NUMBERS.test(text)) score += 0.6; // results, best with numbers
    else if (RESULT.test(text)) score += 0.4;
    if (BOILERPLATE.test(text)) score -= 1;
    if (text.length < 40) score -= 0.5;
    if (text.length > 450) score -= 0.3;
    return { text, index, score };
  });
}

/** Best first; ties go to the earlier sentence. */
export function byScore(scored: ScoredSentence[]): ScoredSentence[] {
  return scored.slice().sort((a, b) => b.score - a.score || a.index - b.index);
}

/** The `count` best of `scored`, in their original order. */
export function topInOrder(scored: ScoredSentence[], count: number): ScoredSentence[] {
  return byScore(scored)
    .slice(0, count)
    .sort((a, b) => a.index - b.index);
}

/** The `count` best sentences of `abstract`, in their original order. */
export function keySentences(abstract: string, title: string, count: number): string[] {
  return topInOrder(scoreSentences(splitSentences(abstract), title), count).map((sentence) => sentence.text);
}
