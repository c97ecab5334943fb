import { EngineError } from '../../engine/errors.ts';

/**
 * A deep copy through JSON: the in-memory adapters store exactly what a SQLite or Redis adapter
 * would after serialising, so tests do not pass on values a real store would mangle, and a caller
 * mutating a value it gave or got cannot reach into the store.
 */
export function copyJson<T>(value: T, what = 'value'): T {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new EngineError('NOT_JSON', `${what} cannot be stored: it is not a JSON value`);
  }
  return JSON.parse(text) as T;
}
