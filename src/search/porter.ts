/**
 * The classic Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), for lower-case a–z words.
 * Follows the published rules, including the paper's `abli → able` (not the later `bli → ble` variant).
 * Callers memoise: see `stemWord` in normalise.ts.
 */
export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = replaceFirst(w, STEP2, 0);
  w = replaceFirst(w, STEP3, 0);
  w = step4(w);
  w = step5a(w);
  return step5b(w);
}

/** `w[i]` is a consonant: not a vowel, and `y` only when it follows a vowel (or starts the word). */
function isConsonant(w: string, i: number): boolean {
  switch (w.charCodeAt(i)) {
    case 97: case 101: case 105: case 111: case 117: // a e i o u
      return false;
    case 121: // y
      return i === 0 || !isConsonant(w, i - 1);
    default:
      return true;
  }
}

/** m in [C](VC)^m[V] for the first `end` letters of `w`. */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

/** *d: ends with a double consonant. */
function endsDoubleConsonant(w: string, end = w.length): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: string, end = w.length): boolean {
  if (end < 3) return false;
  if (!isConsonant(w, end - 3) || isConsonant(w, end - 2) || !isConsonant(w, end - 1)) return false;
  const last = w[end - 1];
  return last !== 'w' && last !== 'x' && last !== 'y';
}

function step1a(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ies')) return w.slice(0, -2);
  if (w.endsWith('ss')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith('eed')) return measure(w, w.length - 3) > 0 ? w.slice(0, -1) : w;
  let stem: string | null = null;
  if (w.endsWith('ed') && hasVowel(w, w.length - 2)) stem = w.slice(0, -2);
  else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) stem = w.slice(0, -3);
  if (stem === null) return w;
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return `${stem}e`;
  if (endsDoubleConsonant(stem)) {
    const last = stem[stem.length - 1];
    return last === 'l' || last === 's' || last === 'z' ? stem : stem.slice(0, -1);
  }
  if (measure(stem, stem.length) === 1 && endsCvc(stem)) return `${stem}e`;
  return stem;
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w, w.length - 1) ? `${w.slice(0, -1)}i` : w;
}

const STEP2: readonly (readonly [string, string])[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['abli', 'able'],
  ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
  ['iviti', 'ive'], ['biliti', 'ble'],
];

const STEP3: readonly (readonly [string, string])[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];

/** Replaces the longest matching suffix when the stem before it has measure > `minMeasure`. */
function replaceFirst(w: string, rules: readonly (readonly [string, string])[], minMeasure: number): string {
  let best: readonly [string, string] | undefined;
  for (const rule of rules) {
    if (w.endsWith(rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
  }
  if (!best) return w;
  const end = w.length - best[0].length;
  return measure(w, end) > minMeasure ? w.slice(0, end) + best[1] : w;
}

const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti',
  'ous', 'ive', 'ize',
];

function step4(w: string): string {
  let suffix = '';
  for (const s of STEP4) if (w.endsWith(s) && s.length > suffix.length) suffix = s;
  if (!suffix) return w;
  const end = w.length - suffix.length;
  if (measure(w, end) <= 1) return w;
  if (suffix === 'ion' && !(w[end - 1] === 's' || w[end - 1] === 't')) return w;
  return w.slice(0, end);
}

function step5a(w: string): string {
  if (!w.endsWith('e')) return w;
  const end = w.length - 1;
  const m = measure(w, end);
  return m > 1 || (m === 1 && !endsCvc(w, end)) ? w.slice(0, end) : w;
}

function step5b(w: string): string {
  return measure(w, w.length) > 1 && endsDoubleConsonant(w) && w.endsWith('l') ? w.slice(0, -1) : w;
}
