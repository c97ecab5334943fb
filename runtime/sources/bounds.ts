import { EVENT_LIMITS } from '../../schemas/event.ts';

/** Cuts a text to `max` UTF-16 units, never splitting a surrogate pair, and marks the cut with …. */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a lone high surrogate would be invalid UTF-8 downstream
  return `${text.slice(0, end)}…`;
}

/**
 * A service or host name: bounded, otherwise untouched (the allowlist judges it later).
 * The … of a cut name is outside the target grammar, so a cut name never matches a target.
 */
export function boundName(text: string | null): string | null {
  if (text === null || text === '') return null;
  return boundText(text, EVENT_LIMITS.nameLength);
}

export function boundMessage(text: string): string {
  return boundText(text, EVENT_LIMITS.messageLength);
}

/** Keys that reach an object's prototype when assigned: never copied. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Collects labels from (key, value) pairs in order: scalars become strings, other values,
 * empty or over-long keys and forbidden keys are skipped, values are bounded, the first
 * `labelCount` win and a later duplicate key does not replace an earlier one.
 */
export function buildLabels(pairs: Iterable<readonly [string, unknown]>): Record<string, string> {
  const labels: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of pairs) {
    if (count >= EVENT_LIMITS.labelCount) break;
    if (key === '' || key.length > EVENT_LIMITS.labelKeyLength || FORBIDDEN_KEYS.has(key)) continue;
    if (Object.hasOwn(labels, key)) continue;
    const text = scalarText(value);
    if (text === null) continue;
    labels[key] = boundText(text, EVENT_LIMITS.labelValueLength);
    count += 1;
  }
  return labels;
}

/** String form of a JSON scalar; null for anything else (never calls an object's toString). */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}
