import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQuery } from '../src/search/parse.js';
import type { ParsedQuery, QueryTerm } from '../src/search/query.js';
import { toFtsMatch } from '../src/store/sqlite/fts-query.js';
import { createRng } from '../bench/lib/rng.js';

function parsed(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result.query;
}

function error(text: string): string {
  const result = parseQuery(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result.query)}`);
  return result.error;
}

const any = (...tokens: string[]): QueryTerm => ({ field: 'any', tokens });
const author = (...tokens: string[]): QueryTerm => ({ field: 'author', tokens });

describe('parseQuery: grammar', () => {
  it('ANDs words, normalising each', () => {
    expect(parsed('Grokking  Transformers')).toEqual({ clauses: [[any('grok')], [any('transform')]], excluded: [], text: 'Grokking  Transformers' });
  });

  it('keeps the trimmed text for display', () => {
    expect(parsed('  mamba \n').text).toBe('mamba');
  });

  it('reads "exact phrases" as one term', () => {
    expect(parsed('"in-context learning" survey').clauses).toEqual([[any('in', 'context', 'learn')], [any('survei')]]);
  });

  it('treats a hyphenated word as a phrase of its parts', () => {
    expect(parsed('in-context').clauses).toEqual([[any('in', 'context')]]);
    expect(parsed('GPT-4').clauses).toEqual([[any('gpt', '4')]]);
  });

  it('binds OR tighter than the implicit AND', () => {
    expect(parsed('a b OR c').clauses).toEqual([[any('a')], [any('b'), any('c')]]);
    expect(parsed('diffusion OR flow OR "consistency models" video').clauses).toEqual([
      [any('diffus'), any('flow'), any('consist', 'model')],
      [any('video')],
    ]);
  });

  it('excludes -word and -"phrase"', () => {
    const query = parsed('agents -survey -"position paper"');
    expect(query.clauses).toEqual([[any('agent')]]);
    expect(query.excluded).toEqual([any('survei'), any('posit', 'paper')]);
  });

  it('reads author:"Name" and author:Name, case-insensitively, and -author:', () => {
    expect(parsed('author:"Yann LeCun"').clauses).toEqual([[author('yann', 'lecun')]]);
    expect(parsed('Author:Hinton diffusion').clauses).toEqual([[author('hinton')], [any('diffus')]]);
    expect(parsed('author:Liu OR author:Chen').clauses).toEqual([[author('liu'), author('chen')]]);
    expect(parsed('agents -author:Wang').excluded).toEqual([author('wang')]);
    expect(parsed('author:José').clauses).toEqual([[author('jose')]]);
  });

  it('accepts typographic quotes', () => {
    expect(parsed('“chain of thought”').clauses).toEqual([[any('chain', 'of', 'thought')]]);
  });

  it('accepts AND as a no-op and NOT as an exclusion', () => {
    expect(parsed('vision AND language').clauses).toEqual([[any('vision')], [any('languag')]]);
    const query = parsed('agents NOT survey');
    expect(query.clauses).toEqual([[any('agent')]]);
    expect(query.excluded).toEqual([any('survei')]);
  });

  it('treats lower-case or/and/not as words', () => {
    expect(parsed('this or that').clauses).toEqual([[any('thi')], [any('or')], [any('that')]]);
    expect(parsed('not').clauses).toEqual([[any('not')]]);
  });

  it('skips bare words with nothing searchable', () => {
    expect(parsed('grokking 🚀 & -').clauses).toEqual([[any('grok')]]);
  });

  it('drops duplicate terms and clauses', () => {
    const query = parsed('mamba Mamba mambas diffusion OR diffusion');
    expect(query.clauses).toEqual([[any('mamba')], [any('diffus')]]);
  });

  it('is Unicode-safe', () => {
    expect(parsed('多模态 Straße naïve').clauses).toEqual([[any('多', '模', '态')], [any('strass')], [any('naiv')]]);
    expect(parsed('"Большие языковые"').clauses).toEqual([[any('большие', 'языковые')]]);
  });
});

describe('parseQuery: errors', () => {
  it.each([
    ['', /empty/i],
    ['   \n\t', /empty/i],
    ['"unclosed phrase', /unbalanced quotes/i],
    ['author:"Yann', /unbalanced quotes/i],
    ['a "b" "c', /unbalanced quotes/i],
    ['-survey', /only -exclusions/i],
    ['-survey -"position paper" NOT review', /only -exclusions/i],
    ['diffusion OR', /OR needs a term on each side/],
    ['OR diffusion', /OR needs a term on each side/],
    ['a OR OR b', /OR needs a term on each side/],
    ['a OR -b', /excluded term cannot be part of an OR/],
    ['a -b OR c', /excluded term cannot be part of an OR/],
    ['a OR NOT b', /excluded term cannot be part of an OR/],
    ['a NOT', /NOT needs a term/],
    ['AND NOT', /NOT needs a term/],
    ['author:', /author: needs a name/],
    ['author: Hinton', /author: needs a name/],
    ['🚀', /no letters or digits/],
    ['""', /no letters or digits/],
    ['"🚀 ✨"', /no letters or digits/],
    ['author:"…"', /no letters or digits/],
    ['grokking OR 🚀', /no letters or digits/],
    ['x'.repeat(MAX_QUERY_LENGTH + 1), /too long/],
    [Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`).join(' '), /too many terms/i],
  ])('%j → %s', (text, message) => {
    expect(error(text)).toMatch(message);
  });

  it('keeps messages short', () => {
    for (const text of ['', '"x', '-x', 'a OR', '🚀', 'author:', '🚀'.repeat(200), `"${'!'.repeat(400)}"`]) expect(error(text).length).toBeLessThan(100);
  });

  it('rejects a 10,000-character input fast', () => {
    const start = performance.now();
    expect(error('grokking '.repeat(1_200))).toMatch(/too long/);
    expect(error('"'.repeat(10_000))).toMatch(/too long/);
    expect(performance.now() - start).toBeLessThan(20);
  });

  it('accepts exactly the limits', () => {
    expect(parseQuery(Array.from({ length: MAX_QUERY_TERMS }, (_, i) => `w${i}`).join(' ')).ok).toBe(true);
    const longPhrase = `"${'abcd '.repeat(99)}abc"`;
    expect(longPhrase).toHaveLength(MAX_QUERY_LENGTH);
    expect(parseQuery(longPhrase).ok).toBe(true);
  });
});

describe('parseQuery: hostile input never reaches FTS5 as syntax', () => {
  it.each([
    ['NEAR(a b)', [[any('near', 'a')], [any('b')]]],
    ['"NEAR(a b)"', [[any('near', 'a', 'b')]]],
    ['title:x', [[any('titl', 'x')]]],
    ['prefix*', [[any('prefix')]]],
    ['^start', [[any('start')]]],
    ['a:b:c', [[any('a', 'b', 'c')]]],
    ['(x OR y)', [[any('x'), any('y')]]],
    ['{title}: x', [[any('titl')], [any('x')]]],
    ['x + y', [[any('x')], [any('y')]]],
  ])('%s', (text, clauses) => {
    const query = parsed(text);
    expect(query.clauses).toEqual(clauses);
    // Every token is a quoted FTS5 string made of letters and digits only.
    expect(toFtsMatch(query)).toMatch(/^[\p{L}\p{N}" ():ORANDT]+$/u);
  });

  it('quotes every token in the compiled MATCH expression', () => {
    expect(toFtsMatch(parsed('a "b c" OR author:"D E" -f -author:g'))).toBe(
      '(("a") AND ("b c" OR authors : "d e")) NOT ("f" OR authors : "g")',
    );
  });
});

describe('parseQuery: fuzz', () => {
  const rng = createRng(2024);
  const pieces = ['a', 'b', 'OR', 'AND', 'NOT', 'or', '-', '"', '“', '”', 'author:', 'Author:', ':', '*', '^', '(', ')', 'NEAR', ' ', ' ', '  ', '\n', '🚀', '多', 'ß', 'é', '\u0301', "'", '-x', 'in-context', '\u0000', '\uD800', '{', '}', '+', '\\'];
  const inputs = Array.from({ length: 2_000 }, () => {
    if (rng() < 0.2) return Array.from({ length: Math.floor(rng() * 60) }, () => String.fromCharCode(Math.floor(rng() * 0x3000))).join('');
    return Array.from({ length: Math.floor(rng() * 25) }, () => pieces[Math.floor(rng() * pieces.length)]).join(rng() < 0.5 ? ' ' : '');
  });

  it('never throws, and every success has clauses of non-empty terms', () => {
    for (const input of inputs) {
      const result = parseQuery(input);
      if (!result.ok) {
        expect(result.error.length).toBeGreaterThan(0);
        continue;
      }
      expect(result.query.clauses.length).toBeGreaterThan(0);
      for (const term of [...result.query.clauses.flat(), ...result.query.excluded]) {
        expect(term.tokens.length).toBeGreaterThan(0);
        for (const token of term.tokens) expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
      }
      expect(result.query.clauses.flat().length + result.query.excluded.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
    }
  });
});
