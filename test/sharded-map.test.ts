import { describe, expect, it } from 'vitest';
import { createRng, intBetween } from '../bench/lib/rng.js';
import { ShardedMap } from '../src/util/sharded-map.js';

describe('ShardedMap', () => {
  it('answers like a Map through random sets, deletes and clears, for number and string keys', () => {
    const rng = createRng(7);
    for (const keyOf of [(n: number) => n, (n: number) => `word ${n}`, (n: number) => String.fromCharCode(97 + (n % 26)).repeat(1 + (n % 5))]) {
      const sharded = new ShardedMap<string | number, number>();
      const plain = new Map<string | number, number>();
      for (let step = 0; step < 20_000; step++) {
        const key = keyOf(intBetween(rng, 0, 3_000));
        const roll = rng();
        if (roll < 0.6) {
          expect(sharded.set(key, step)).toBe(sharded);
          plain.set(key, step);
        } else if (roll < 0.995) expect(sharded.delete(key)).toBe(plain.delete(key));
        else {
          sharded.clear();
          plain.clear();
        }
        expect(sharded.get(key)).toBe(plain.get(key));
        expect(sharded.has(key)).toBe(plain.has(key));
        expect(sharded.size).toBe(plain.size);
      }
      const byKey = (a: [string | number, number], b: [string | number, number]) => String(a[0]).localeCompare(String(b[0]));
      expect([...sharded].sort(byKey)).toEqual([...plain].sort(byKey));
      expect([...sharded.keys()].sort()).toEqual([...plain.keys()].sort());
    }
  });

  it('spreads consecutive ids and distinct words over many shards', () => {
    const used = (keys: (string | number)[]) => {
      const map = new ShardedMap<string | number, true>();
      for (const key of keys) map.set(key, true);
      return (map as unknown as { shards: Map<unknown, unknown>[] }).shards.filter((shard) => shard.size > 0).length;
    };
    expect(used(Array.from({ length: 1_000 }, (_, i) => i + 1))).toBe(32);
    expect(used(Array.from({ length: 1_000 }, (_, i) => `grokking ${i}`))).toBeGreaterThanOrEqual(24);
  });

  it('lets entries be deleted while iterating, visiting each one once', () => {
    const map = new ShardedMap<number, number>();
    for (let i = 0; i < 500; i++) map.set(i, i);
    const seen: number[] = [];
    for (const [key] of map) {
      seen.push(key);
      if (key % 2) map.delete(key);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(map.size).toBe(250);
  });
});
