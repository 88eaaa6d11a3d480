/**
 * Remembers each key's promise for as long as the returned function is kept, so concurrent and later callers share
 * one load; a load that fails is forgotten, so the next caller tries again.
 */
export function promiseMemo<V>(): (key: string, load: () => Promise<V>) => Promise<V> {
  const loads = new Map<string, Promise<V>>();
  return (key, load) => {
    let value = loads.get(key);
    if (!value) {
      value = load();
      loads.set(key, value);
      value.catch(() => loads.delete(key));
    }
    return value;
  };
}
