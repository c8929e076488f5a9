/**
 * Remembers `compute(key)` for attribute keys, which repeat from one record
 * to the next. Bounded, so hostile keys cannot grow it: at most 4096
 * entries, and keys of 200 characters or more are computed each time.
 */
export function cachedByKey(compute: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let cached = cache.get(key);
    if (cached === undefined) {
      cached = compute(key);
      if (cache.size < 4096 && key.length < 200) cache.set(key, cached);
    }
    return cached;
  };
}
