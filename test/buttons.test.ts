import { describe, expect, it } from 'vitest';
import { ButtonCodec, paperButtonValue } from '../src/commands/buttons.js';

describe('button strings (one form for every platform)', () => {
  it('round-trips every button, within each platform limit', () => {
    const codec = new ButtonCodec();
    for (const max of [100, 2000]) {
      expect(codec.decode(paperButtonValue('summarise', 'hep-th/9901001'), max)).toEqual({ kind: 'summarise', paperId: 'hep-th/9901001' });
      expect(codec.decode(paperButtonValue('abstract', '2605.15320'), max)).toEqual({ kind: 'abstract', paperId: '2605.15320' });
      const more = codec.encode({ kind: 'more', offset: 5, query: 'grokking "phase change" -survey' }, max);
      expect(codec.decode(more, max)).toEqual({ kind: 'more', offset: 5, query: 'grokking "phase change" -survey' });
    }
  });

  it('a query too long for the limit is remembered and referenced; after a restart that button has expired', () => {
    const codec = new ButtonCodec();
    const long = 'a very long query '.repeat(10);
    const id = codec.encode({ kind: 'more', offset: 10, query: long }, 100);
    expect(id).toMatch(/^more:10:r:[0-9a-f]{16}$/);
    expect(codec.decode(id, 100)).toEqual({ kind: 'more', offset: 10, query: long });
    expect(new ButtonCodec().decode(id, 100)).toEqual({ kind: 'expired' });
    // Slack's 2000 fits it inline.
    expect(codec.encode({ kind: 'more', offset: 10, query: long }, 2000)).toBe(`more:10:q:${long}`);
  });

  it('refuses anything it did not make', () => {
    const codec = new ButtonCodec();
    const bad = ['', 'sum:', 'sum:2605.1529', 'sum:2605.15320v2', 'abs:../../etc', 'more:x:q:a', 'more:0:q:a', 'more:99999:q:a', 'more:1:r:zz', 'delete:everything', '{"o":5,"q":"x"}'];
    for (const value of bad) expect(codec.decode(value, 100), value).toEqual({ kind: 'unknown' });
    expect(codec.decode(`more:1:q:${'x'.repeat(200)}`, 100)).toEqual({ kind: 'unknown' });
  });
});
