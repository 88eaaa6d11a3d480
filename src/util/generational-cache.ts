/**
 * A bounded memo for hot paths: two generations of at most `generation` entries each. A hit in the older one moves
 * up, so recently used entries stay; when the newer one fills, the older is dropped whole. A hit costs one lookup,
 * where LruCache's costs a delete and a set.
 */
export class GenerationalCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly generation: number) {}

  /**
   * The value kept for `key`, if `usable` accepts it (a value checked against its source). An entry in the newer
   * generation that `usable` refuses hides the older one: it is the later of the two.
   */
  get(key: K, usable?: (value: V) => boolean): V | undefined {
    const current = this.current.get(key);
    if (current !== undefined) return !usable || usable(current) ? current : undefined;
    const previous = this.previous.get(key);
    if (previous === undefined || (usable && !usable(previous))) return undefined;
    this.set(key, previous);
    return previous;
  }

  set(key: K, value: V): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
