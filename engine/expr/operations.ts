/**
 * The operations the language adds to JSON Logic. One implementation serves both
 * evaluators: json-logic-js (the oracle, after registerOperations()) and the closure
 * compiler, so they cannot drift. json-logic-js calls an operation with `this` bound
 * to the data, which is how `now` reads the injected clock from `$now`.
 */
import jsonLogic from 'json-logic-js';
import { parseDuration } from './duration.ts';

/** The reserved scope field carrying the injected clock's time (epoch ms). */
export const NOW_FIELD = '$now';

function clockOf(data: unknown): number | null {
  if (data === null || typeof data !== 'object') return null;
  const now = (data as Record<string, unknown>)[NOW_FIELD];
  return typeof now === 'number' && Number.isFinite(now) ? now : null;
}

/** `(?i)` at the start asks for a case-insensitive match, as in most regex dialects. */
export function compilePattern(source: string): { regex: RegExp } | { error: string } {
  const insensitive = source.startsWith('(?i)');
  try {
    return { regex: new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '') };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Strings and numbers can match; anything else (null, lists, objects) does not. */
export function testPattern(subject: unknown, regex: RegExp | null): boolean {
  if (regex === null) return false;
  if (typeof subject === 'string') return regex.test(subject);
  if (typeof subject === 'number') return regex.test(String(subject));
  return false;
}

const PATTERN_CACHE_LIMIT = 256;
const patternCache = new Map<string, RegExp | null>();

function cachedPattern(source: unknown): RegExp | null {
  if (typeof source !== 'string') return null;
  let regex = patternCache.get(source);
  if (regex === undefined) {
    const compiled = compilePattern(source);
    regex = 'regex' in compiled ? compiled.regex : null;
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    patternCache.set(source, regex);
  }
  return regex;
}

function asText(x: unknown): string | null {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return null;
}

/** Epoch ms of an ISO string or epoch number; null when it is neither. */
function timestampOf(ts: unknown): number | null {
  if (typeof ts === 'number') return Number.isFinite(ts) ? ts : null;
  if (typeof ts === 'string') {
    const t = Date.parse(ts);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

type Operation = (this: unknown, ...args: unknown[]) => unknown;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  duration(text: unknown): number | null {
    if (typeof text === 'number') return Number.isFinite(text) ? text : null;
    return typeof text === 'string' ? parseDuration(text) : null;
  },
  now(this: unknown): number | null {
    return clockOf(this);
  },
  age(this: unknown, ts: unknown): number | null {
    const now = clockOf(this);
    const t = timestampOf(ts);
    return now === null || t === null ? null : now - t;
  },
  matches(subject: unknown, pattern: unknown): boolean {
    return testPattern(subject, cachedPattern(pattern));
  },
  lower(s: unknown): string | null {
    const t = asText(s);
    return t === null ? null : t.toLowerCase();
  },
  upper(s: unknown): string | null {
    const t = asText(s);
    return t === null ? null : t.toUpperCase();
  },
  starts_with(s: unknown, p: unknown): boolean {
    return typeof s === 'string' && typeof p === 'string' && s.startsWith(p);
  },
  ends_with(s: unknown, p: unknown): boolean {
    return typeof s === 'string' && typeof p === 'string' && s.endsWith(p);
  },
  contains(s: unknown, p: unknown): boolean {
    if (typeof s === 'string') return typeof p === 'string' && s.includes(p);
    return Array.isArray(s) && s.indexOf(p) !== -1;
  },
  len(x: unknown): number {
    if (typeof x === 'string' || Array.isArray(x)) return x.length;
    if (x !== null && typeof x === 'object') return Object.keys(x).length;
    return 0;
  },
  default(x: unknown, fallback: unknown): unknown {
    return x === null || x === undefined ? fallback : x;
  },
  /** `{"object": [["k", v], ...]}`: builds a JSON object; how compileValue stores a `with:` block. */
  object(...pairs: unknown[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) {
      if (Array.isArray(pair) && typeof pair[0] === 'string') {
        Object.defineProperty(out, pair[0], { value: pair[1], enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  },
};

export function isOperation(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}

let registered = false;

/**
 * Adds the language's operations to json-logic-js. Explicit and idempotent: called by the
 * oracle (evaluateLogic) and by the closure compiler's fallback, never at import time.
 */
export function registerOperations(): void {
  if (registered) return;
  for (const [name, op] of Object.entries(OPERATIONS)) jsonLogic.add_operation(name, op);
  registered = true;
}

/** json-logic-js's own evaluation, with the language's operations registered. */
export function applyLogic(logic: unknown, data: unknown): unknown {
  registerOperations();
  return jsonLogic.apply(logic as Parameters<typeof jsonLogic.apply>[0], data);
}

/** The truthiness JSON Logic defines: `[]` is false, everything else as in JavaScript. */
export const truthy: (value: unknown) => boolean = (value) => !(Array.isArray(value) && value.length === 0) && !!value;
