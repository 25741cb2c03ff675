// Caches kept in a Map with a bound on their entries: past the bound the oldest entry (in insertion order) goes,
// the way the analyzer's per-document and per-result caches and the check cache keep their size.

/** Sets `key` to `value`, first dropping the oldest entry when the map holds `limit` entries. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (map.size >= limit) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** The entry of `key`, made by `make` and set (bounded by `limit`) on first use. */
export function keptFor<K, V>(map: Map<K, V>, key: K, limit: number, make: () => V): V {
  let kept = map.get(key);
  if (kept === undefined) setBounded(map, key, (kept = make()), limit);
  return kept;
}
