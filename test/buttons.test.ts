import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton, paperButtonValue, queryRef } from '../src/commands/buttons.js';

describe('button strings (one form for every platform)', () => {
  it('round-trips every button, within each platform limit', () => {
    for (const max of [100, 2000]) {
      expect(decodeButton(paperButtonValue('summarise', 'hep-th/9901001'), max)).toEqual({ kind: 'summarise', paperId: 'hep-th/9901001' });
      expect(decodeButton(paperButtonValue('abstract', '2605.15320'), max)).toEqual({ kind: 'abstract', paperId: '2605.15320' });
      const more = encodeButton({ kind: 'more', offset: 5, query: 'grokking "phase change" -survey' }, max);
      expect(decodeButton(more, max)).toEqual({ kind: 'more', offset: 5, query: 'grokking "phase change" -survey' });
    }
  });

  it('a long query is referenced by its hash, the same in every process (the core saves it in the store)', () => {
    const long = 'a very long query '.repeat(10);
    const id = encodeButton({ kind: 'more', offset: 10, query: long }, 100);
    expect(id).toBe(`more:10:r:${queryRef(long)}`);
    expect(encodeButton({ kind: 'more', offset: 10, query: long }, 2000)).toBe(id);
    expect(decodeButton(id, 100)).toEqual({ kind: 'saved-more', offset: 10, ref: queryRef(long) });
  });

  it('refuses anything it did not make', () => {
    const bad = ['', 'sum:', 'sum:2605.1529', 'sum:2605.15320v2', 'abs:../../etc', 'more:x:q:a', 'more:0:q:a', 'more:99999:q:a', 'more:1:r:zz', 'delete:everything', '{"o":5,"q":"x"}'];
    for (const value of bad) expect(decodeButton(value, 100), value).toEqual({ kind: 'unknown' });
    expect(decodeButton(`more:1:q:${'x'.repeat(200)}`, 100)).toEqual({ kind: 'unknown' });
  });
});
