// A bounded map that forgets the least recently used entry first. The widget path's caches use
// it so that a flood of new keys evicts only the coldest entries, one at a time, instead of
// clearing every brand's hot entries at once when the map is full.
// A JS Map iterates in insertion order: re-inserting on every hit keeps the coldest entry first.
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`an LRU needs a capacity of at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Stores the value as the most recently used, evicting the least recently used past capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Deletes every entry the predicate selects (a revocation names a prefix, not each entry). */
  deleteWhere(predicate: (value: V, key: K) => boolean): void {
    for (const [key, value] of this.map) if (predicate(value, key)) this.map.delete(key);
  }
}
