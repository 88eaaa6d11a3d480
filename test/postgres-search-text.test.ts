/**
 * The text the PostgreSQL store sends for full-text search, checked without a server: the vector literal a
 * paper gets, the tsquery a parsed query becomes, and the block steps a newest-first search takes.
 */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../src/search/parse.js';
import { BLOCK_ROWS, firstStep, nextStep, type BlockStep } from '../src/store/postgres/recency-blocks.js';
import { searchVector } from '../src/store/postgres/search-vector.js';
import { toTsquery } from '../src/store/postgres/tsquery.js';

function tsquery(text: string): string | null {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return toTsquery(parsed.query);
}

/** lexeme → its `positions+weights` text ('' for derived lexemes). */
function lexemes(vector: string): Map<string, string> {
  return new Map([...vector.matchAll(/'((?:[^']|'')*)'(?::(\S+))?/g)].map((m) => [m[1]!.replaceAll("''", "'"), m[2] ?? '']));
}

describe('PostgreSQL search vector', () => {
  const paper = { title: 'Grokking Transformers', aiKeywords: ['softmax collapse', 'grokking'], abstract: 'We study grokking.', authors: ['Wang Liu', 'Chen Wang'] };
  const vector = lexemes(searchVector(paper));

  it('writes the normalised tokens with positions and a weight per field, fields ≥ 100 positions apart', () => {
    expect(vector.get('transform')).toBe('2A');
    // keywords start after the title and a gap; the list separator takes position 105 but is not written.
    expect(vector.get('softmax')).toBe('103B');
    expect(vector.get('collaps')).toBe('104B');
    expect(vector.get('grok')).toBe('1A,106B,209C');
    expect(vector.get('wang')).toBe('310D,314D');
    expect(vector.has('_')).toBe(false);
  });

  it('adds pair lexemes within an item and author lexemes, never across list items', () => {
    expect(vector.get('grok transform')).toBe('');
    expect(vector.get('softmax collaps')).toBe('');
    expect(vector.get('wang liu')).toBe('');
    expect(vector.get('@wang liu')).toBe('');
    expect(vector.get('@chen')).toBe('');
    expect(vector.has('collaps grok')).toBe(false);
    expect(vector.has('liu chen')).toBe(false);
    expect(vector.has('@grok')).toBe(false);
  });

  it('caps positions so a token past the last one can match alone but never complete a phrase', () => {
    const authors = Array.from({ length: 9_000 }, (_, i) => `Author${i} Name`);
    const huge = lexemes(searchVector({ title: 'T', aiKeywords: [], abstract: '', authors }));
    const positions = [...huge.values()].flatMap((text) => (text ? text.split(',').map((p) => Number.parseInt(p, 10)) : []));
    expect(Math.max(...positions)).toBe(16_383);
    expect(positions).not.toContain(16_382);
    expect(huge.get('author8999')).toBe('16383D');
    expect(huge.get('@author8999 name')).toBe('');
    // A lexeme keeps at most 256 positions, the first of its field among them.
    expect(huge.get('name')!.split(',')).toHaveLength(256);
  });
});

describe('PostgreSQL tsquery', () => {
  it('compiles words, pairs, longer phrases and author terms', () => {
    expect(tsquery('grokking')).toBe("('grok')");
    expect(tsquery('"softmax collapse"')).toBe("('softmax collaps')");
    expect(tsquery('"chain of thought"')).toBe("(('chain of' & 'of thought' & ('chain' <-> 'of' <-> 'thought')))");
    expect(tsquery('author:Wang')).toBe("('@wang')");
    expect(tsquery('author:"Ziming Liu"')).toBe("('@zime liu')");
    expect(tsquery('author:"Jean Pierre Dupont"')).toBe("(('@jean pierr' & '@pierr dupont' & ('jean':D <-> 'pierr':D <-> 'dupont':D)))");
  });

  it('ANDs clauses, ORs within one, and NOTs the exclusions', () => {
    expect(tsquery('diffusion OR flow video -survey -"tool use"')).toBe("('diffus' | 'flow') & ('video') & !('survei' | 'tool us')");
  });

  it('quotes every token, so nothing typed is read as tsquery syntax', () => {
    for (const text of ["don't", 'a&b', 'x|y', '!z', 'a<->b', "'quoted'", 'a:*', '"(a b)"', 'back\\slash']) {
      const compiled = tsquery(text);
      expect(compiled, text).not.toBeNull();
      expect(compiled!.replaceAll(/'[^']*'/g, ''), text).toMatch(/^[()&|!<\->: D]*$/);
    }
  });
});

describe('newest-first block steps', () => {
  function walk(newest: number, densityPerBlock: (block: number) => number, wanted: number): BlockStep[] {
    const steps: BlockStep[] = [];
    let found = 0;
    for (let step: BlockStep | null = firstStep(newest); step !== null && found < wanted; step = nextStep(step, newest, found, wanted)) {
      steps.push(step);
      for (let block = step.from; block <= step.to; block++) found += densityPerBlock(block);
    }
    return steps;
  }

  it('start at the newest block, with the one before while the newest is less than half full', () => {
    expect(firstStep(100_000)).toEqual({ from: 97, to: 97, tsquery: "'#97'" });
    expect(firstStep(97 * BLOCK_ROWS + 3)).toEqual({ from: 96, to: 97, tsquery: "('#96' | '#97')" });
    expect(firstStep(5)).toMatchObject({ from: 0, to: 0 });
  });

  it('cover every block back to block 0 in order, without overlap, when matches are rare', () => {
    for (const newest of [0, 1, BLOCK_ROWS - 1, BLOCK_ROWS, 100_000, 1_234_567]) {
      const steps = walk(newest, () => 0, 200);
      expect(steps[0]!.to).toBe(Math.floor(newest / BLOCK_ROWS));
      expect(steps.at(-1)!.from).toBe(0);
      steps.slice(1).forEach((step, i) => expect(step.to).toBe(steps[i]!.from - 1));
      expect(steps.length).toBeLessThanOrEqual(newest <= 100_000 ? 3 : 4);
    }
  });

  it('size each step from the density found so far, at least doubling', () => {
    // 20 matches per block: 200 wanted takes about ten blocks, the last step at least twice the one before.
    expect(walk(100_000, () => 20, 200).map((s) => [s.from, s.to])).toEqual([
      [97, 97],
      [89, 96],
      [73, 88],
    ]);
    // Matches only in old blocks: the walk still reaches them in a few steps.
    expect(walk(100_000, (block) => (block < 10 ? 30 : 0), 200).length).toBeLessThanOrEqual(3);
  });

  it('grow at most sixteenfold, so a guess from a first step cannot read every older match at once', () => {
    expect(nextStep({ from: 97, to: 97, tsquery: '' }, 100_000, 0, 200)).toMatchObject({ from: 81, to: 96 });
    expect(nextStep({ from: 81, to: 96, tsquery: '' }, 100_000, 0, 200)).toMatchObject({ from: 0, to: 80 });
  });

  it('name whole spans of 16 blocks with one lexeme', () => {
    const step = nextStep({ from: 81, to: 96, tsquery: '' }, 100_000, 0, 200)!;
    expect(step.tsquery).toBe("('##0' | '##1' | '##2' | '##3' | '##4' | '#80')");
  });
});
