import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { indexText, stemWord, tokenize } from '../src/search/normalise.js';
import { porterStem } from '../src/search/porter.js';
import { createRng } from '../bench/lib/rng.js';

describe('Porter stemmer', () => {
  // Outputs of the reference implementation (tartarus.org/martin/PorterStemmer) for the classic algorithm.
  const vectors: Record<string, string> = {
    caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat', feed: 'feed', agreed: 'agre',
    plastered: 'plaster', bled: 'bled', motoring: 'motor', sing: 'sing', conflated: 'conflat', troubled: 'troubl',
    sized: 'size', hopping: 'hop', tanned: 'tan', falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail',
    filing: 'file', happy: 'happi', sky: 'sky', relational: 'relat', conditional: 'condit', rational: 'ration',
    digitizer: 'digit', operator: 'oper', feudalism: 'feudal', decisiveness: 'decis', hopefulness: 'hope',
    callousness: 'callous', formality: 'formal', sensitivity: 'sensit', triplicate: 'triplic', formative: 'form',
    formalize: 'formal', electricity: 'electr', electrical: 'electr', hopeful: 'hope', goodness: 'good',
    revival: 'reviv', allowance: 'allow', inference: 'infer', airliner: 'airlin', gyroscopic: 'gyroscop',
    adjustable: 'adjust', defensible: 'defens', irritant: 'irrit', replacement: 'replac', adjustment: 'adjust',
    dependent: 'depend', adoption: 'adopt', communism: 'commun', activate: 'activ', effective: 'effect',
    bowdlerize: 'bowdler', probate: 'probat', rate: 'rate', cease: 'ceas', controlling: 'control', rolling: 'roll',
    generalizations: 'gener', oscillators: 'oscil', grokking: 'grok', transformers: 'transform',
    transformer: 'transform', generous: 'gener',
  };
  it.each(Object.entries(vectors))('%s → %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
    if (!word.startsWith('gener')) expect(stemWord(word)).toBe(stem);
  });
});

describe('tokenize', () => {
  it('folds case, width, ligatures and diacritics', () => {
    expect(tokenize('Naïve CAFÉ ﬁne ＧＰＴ')).toEqual(['naiv', 'cafe', 'fine', 'gpt']);
    expect(tokenize('Straße')).toEqual(tokenize('STRASSE'));
    expect(tokenize('İstanbul Σίσυφος')).toEqual(['istanbul', 'σισυφοσ']);
  });

  it('stems so plurals and -ing forms meet', () => {
    expect(tokenize('transformers')).toEqual(tokenize('Transformer'));
    expect(tokenize('grokking')).toEqual(tokenize('grok'));
  });

  it('keeps digits and letter-digit words', () => {
    expect(tokenize('3D GPT4 GPT-4o 1080p 10,000')).toEqual(['3d', 'gpt4', 'gpt', '4o', '1080p', '10', '000']);
  });

  it('splits hyphens and punctuation, joins apostrophes inside words', () => {
    expect(tokenize('in-context')).toEqual(['in', 'context']);
    expect(tokenize("model's don't O’Neil")).toEqual(['model', 'dont', 'oneil']);
    expect(tokenize('a.b/c:d (e) "f"')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('handles CJK, Cyrillic and Arabic text', () => {
    expect(tokenize('多模态大模型')).toEqual(['多', '模', '态', '大', '模', '型']);
    expect(tokenize('がぎ カタカナ')).toEqual(['が', 'ぎ', 'カ', 'タ', 'カ', 'ナ']);
    expect(tokenize('Большие языковые модели')).toEqual(['большие', 'языковые', 'модели']);
    expect(tokenize('العَرَبِيَّة')).toEqual(['العربية']);
    expect(tokenize('LLM模型')).toEqual(['llm', '模', '型']);
  });

  it('drops emoji and symbols only', () => {
    expect(tokenize('🚀 rocket ✨ ∑ → x')).toEqual(['rocket', 'x']);
    expect(tokenize('🚀🎉')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  it('is safe with words that name Object.prototype members', () => {
    expect(tokenize('constructor toString __proto__ hasOwnProperty valueOf')).toEqual(['constructor', 'tostr', 'proto', 'hasownproperti', 'valueof']);
  });

  it('indexText joins tokens with single spaces', () => {
    expect(indexText('  In-Context  Learning\n  for 3D ')).toBe('in context learn for 3d');
  });
});

describe('indexText and FTS5 unicode61 agree on token boundaries', () => {
  // FTS5 must split the stored text exactly where we put spaces, or phrases would not line up with matchesPaper.
  const db = new BetterSqlite3(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 0');
           CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
  const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
  const tokensOf = db.prepare('SELECT term FROM v WHERE doc = ? ORDER BY offset');

  const samples = [
    'Grokking Straße naïve café 多模态 Привет العَرَبِيَّة हिन्दी ภาษาไทย 한국어 Ελληνικά ﬁ ＡＢＣ ǅ ẞ ſ',
    'x²³ ½ ⅷ ① ℌ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚 ﹏ ｶﾀｶﾅ ㍿ Ǆ ŉ ΐ İ ı',
  ];
  const rng = createRng(5);
  const alphabet = Array.from('aZé ß-’\'多模态Яж ع ह्ि 🚀 ①²ǅ _.:*^"()İıſ\u0301\u3099\u200d');
  for (let i = 0; i < 200; i++) {
    samples.push(Array.from({ length: 1 + Math.floor(rng() * 30) }, () => alphabet[Math.floor(rng() * alphabet.length)]).join(''));
  }

  it.each(samples.map((s, i) => [i, s] as const))('sample %i', (i, text) => {
    const tokens = tokenize(text);
    insert.run(i + 1, indexText(text));
    const fts = (tokensOf.all(i + 1) as { term: string }[]).map((r) => r.term);
    expect(fts).toEqual(tokens);
  });
});

describe('over-stemming exceptions', () => {
  it.each([
    [['generation', 'generations', 'generate', 'generated', 'generating', 'generative', 'generator'], 'generat'],
    [['general', 'generalization', 'generalize', 'generalizes', 'generalized'], 'general'],
    [['generic'], 'generic'],
    [['community', 'communities'], 'communiti'],
    [['communication', 'communicate'], 'communic'],
    [['organization', 'organisations', 'organize'], 'organiz'],
  ])('%j → %s', (words, stem) => {
    for (const word of words) expect(tokenize(word)).toEqual([stem]);
  });
});
