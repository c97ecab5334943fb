/**
 * A set that cannot change after it is built. `Object.freeze` does not stop `Set.add`, and a
 * target set is the allowlist between a model and a root shell, so nothing may grow it at run
 * time, not even through a cast.
 */
export class FrozenSet<T> implements ReadonlySet<T> {
  readonly #items: Set<T>;

  constructor(items: Iterable<T>) {
    this.#items = new Set(items);
    Object.freeze(this);
  }

  get size(): number {
    return this.#items.size;
  }

  has(value: T): boolean {
    return this.#items.has(value);
  }

  forEach(callback: (value: T, value2: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const v of this.#items) callback.call(thisArg, v, v, this);
  }

  entries(): SetIterator<[T, T]> {
    return this.#items.entries();
  }

  keys(): SetIterator<T> {
    return this.#items.keys();
  }

  values(): SetIterator<T> {
    return this.#items.values();
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.#items.values();
  }
}
