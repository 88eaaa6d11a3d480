import { describe, expect, it } from 'vitest';
import { GenerationalCache } from '../src/util/generational-cache.js';

describe('GenerationalCache', () => {
  it('keeps the last two generations, and a hit in the older one moves it up', () => {
    const cache = new GenerationalCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a and b are now the older generation
    expect(cache.get('a')).toBe(1); // moved up beside c
    cache.set('d', 4); // the newer generation (c, a) becomes the older; b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('gives back only what `usable` accepts, and a refused newer entry hides an older one', () => {
    const cache = new GenerationalCache<number, string>(2);
    cache.set(1, 'old text');
    cache.set(2, 'x');
    cache.set(1, 'new text'); // the older generation still holds 'old text'
    expect(cache.get(1, (value) => value === 'new text')).toBe('new text');
    expect(cache.get(1, (value) => value === 'old text')).toBeUndefined();
    expect(cache.get(2, (value) => value === 'y')).toBeUndefined();
    expect(cache.get(2, (value) => value === 'x')).toBe('x');
  });
});
