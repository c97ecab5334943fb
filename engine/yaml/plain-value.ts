import { isAlias, isMap, isScalar, isSeq, type Alias, type Node as YamlNode } from 'yaml';
import { FORBIDDEN_KEYS, keyString } from './keys.ts';

/**
 * Last stage: the checked tree as plain data (objects, arrays, strings, numbers, booleans,
 * null). Runs only on a tree that passed every check; aliases are copied, never shared, so
 * later code may not alter one place through another. Properties are defined, not assigned,
 * so even a `__proto__` key (refused earlier) could never reach a prototype.
 */
export function toPlainValue(node: YamlNode | null, aliasTargets: ReadonlyMap<Alias, YamlNode>): unknown {
  if (node === null) return null;
  if (isAlias(node)) return toPlainValue(aliasTargets.get(node) ?? null, aliasTargets);
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }
  if (isSeq(node)) return node.items.map((item) => toPlainValue((item as YamlNode | null) ?? null, aliasTargets));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = isAlias(pair.key) ? aliasTargets.get(pair.key) : (pair.key as YamlNode | null);
      const key = keyNode && isScalar(keyNode) ? keyString(keyNode) : null;
      if (key === null || FORBIDDEN_KEYS.has(key)) continue;
      Object.defineProperty(out, key, {
        value: toPlainValue((pair.value as YamlNode | null) ?? null, aliasTargets),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return null;
}
