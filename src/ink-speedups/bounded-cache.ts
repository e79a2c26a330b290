/**
 * A Map-like cache that keeps what was used recently and forgets the rest: two generations,
 * the current one filled up to `limit` entries, then kept as the previous one while a new
 * current one fills. An entry found in the previous generation moves to the current one. So
 * what every frame asks for stays, and memory stays bounded at about 2 x `limit` entries.
 */
export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): this {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return this;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
