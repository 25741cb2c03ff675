// Grouping into a Map of arrays in linear time (copying the array on each add is quadratic: 10,000 calls of
// one layer in a long forward took seconds).

/** Appends `item` to the group `key` of `groups`, creating the group on first use. */
export function pushTo<K, V>(groups: Map<K, V[]>, key: K, item: V): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}
