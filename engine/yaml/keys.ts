import type { Scalar } from 'yaml';

/** Keys that could reach an object prototype if some later code merged values carelessly. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The string a scalar key stands for. Keys are always strings: `1:` is "1" and `1.0:` stays
 * "1.0" (the text as written, not the number it would read as). Null for an empty key.
 */
export function keyString(key: Scalar): string | null {
  if (typeof key.value === 'string') return key.value;
  const source: unknown = key.source;
  if (typeof source === 'string') return source === '' ? null : source;
  return key.value === null || key.value === undefined ? null : String(key.value);
}
