/**
 * The operations the language adds to JSON Logic. One implementation serves both
 * evaluators: json-logic-js (the oracle, after registerOperations()) and the closure
 * compiler, so they cannot drift. json-logic-js calls an operation with `this` bound
 * to the data, which is how `now` reads the injected clock from `$now`.
 */
import jsonLogic from 'json-logic-js';
import { MAX_LIST_LENGTH, MAX_STRING_LENGTH } from './bounds.ts';
import { parseDuration } from './duration.ts';
import { formatTime } from './format-time.ts';
import { cachedPattern, matchGroups, testPattern } from './regex.ts';
import { pyRound } from './round.ts';

/** The reserved scope field carrying the injected clock's time (epoch ms). */
export const NOW_FIELD = '$now';

function clockOf(data: unknown): number | null {
  if (data === null || typeof data !== 'object') return null;
  const now = (data as Record<string, unknown>)[NOW_FIELD];
  return typeof now === 'number' && Number.isFinite(now) ? now : null;
}

export { compilePattern, testPattern } from './regex.ts';

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function bounded(t: string | null): string | null {
  return t !== null && t.length > MAX_STRING_LENGTH ? null : t;
}

/** The text a value builds into: null is empty, lists and objects their JSON. */
function toText(x: unknown): string | null {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  try {
    const json = JSON.stringify(x);
    return json === undefined ? null : json;
  } catch {
    return null;
  }
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
  /** Characters are Unicode code points, as Python's len counts them (an emoji is 1, not 2). */
  len(x: unknown): number {
    if (typeof x === 'string') return codePoints(x);
    if (Array.isArray(x)) return x.length;
    if (x !== null && typeof x === 'object') return Object.keys(x).length;
    return 0;
  },
  default(x: unknown, fallback: unknown): unknown {
    return x === null || x === undefined ? fallback : x;
  },
  /** `string(x)`: text of a value; null is "", lists and objects their JSON. Too long → null. */
  string(x: unknown): string | null {
    return bounded(toText(x));
  },
  /** `number(x)`: a number or numeric text (trimmed, decimal or exponent); anything else is null. */
  number(x: unknown): number | null {
    if (typeof x === 'number') return Number.isFinite(x) ? x : null;
    if (typeof x !== 'string' || x.length > 64) return null;
    const t = x.trim();
    return NUMERIC_TEXT.test(t) ? Number(t) : null;
  },
  concat(...parts: unknown[]): string | null {
    let out = '';
    for (const p of parts) {
      const t = toText(p);
      if (t === null || out.length + t.length > MAX_STRING_LENGTH) return null;
      out += t;
    }
    return out;
  },
  round(x: unknown, digits: unknown = 0): number | null {
    if (typeof x !== 'number') return null;
    const n = digits === null || digits === undefined ? 0 : digits;
    if (typeof n !== 'number' || !Number.isInteger(n)) return null;
    return pyRound(x, n);
  },
  /** `substr(s, start, len?)`: start < 0 counts from the end; len < 0 stops that many before the end. */
  substring(s: unknown, start: unknown, len?: unknown): string | null {
    const text = asText(s);
    if (text === null || typeof start !== 'number' || !Number.isInteger(start)) return null;
    // Positions count code points, like len() and Python's slices; text without surrogates is sliced as is.
    const t: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
    const join = (part: string | string[]): string => (typeof part === 'string' ? part : part.join(''));
    const from = start < 0 ? Math.max(0, t.length + start) : Math.min(start, t.length);
    if (len === undefined || len === null) return join(t.slice(from));
    if (typeof len !== 'number' || !Number.isInteger(len)) return null;
    return join(len < 0 ? t.slice(from, Math.max(from, t.length + len)) : t.slice(from, from + len));
  },
  /**
   * Python's str.split: without a separator (or with null) on runs of whitespace, no empty parts;
   * `max` splits at most that many times, the rest kept whole (negative: no limit). `split(s, "")`
   * gives the characters.
   */
  split(s: unknown, sep: unknown = null, max: unknown = -1): string[] | null {
    const t = asText(s);
    if (t === null || (sep !== null && typeof sep !== 'string') || typeof max !== 'number' || !Number.isInteger(max)) return null;
    let parts: string[];
    if (sep === null) {
      const rest = t.replace(LEADING_SPACE, '');
      parts = [];
      if (rest !== '') {
        const words = rest.split(SPACE_RUN);
        if (max >= 0 && words.length > max + 1) {
          // After the max-th run of whitespace the rest stays whole, trailing whitespace included.
          const runs = new RegExp(SPACE_RUN.source, 'g');
          for (let i = 0; i < max; i++) runs.exec(rest);
          parts = [...words.slice(0, max), rest.slice(max === 0 ? 0 : runs.lastIndex)];
        } else parts = words[words.length - 1] === '' ? words.slice(0, -1) : words;
      }
    } else if (sep === '') parts = Array.from(t);
    else if (max < 0) parts = t.split(sep);
    else {
      parts = [];
      let from = 0;
      for (let i = 0; i < max; i++) {
        const at = t.indexOf(sep, from);
        if (at < 0) break;
        parts.push(t.slice(from, at));
        from = at + sep.length;
      }
      parts.push(t.slice(from));
    }
    return parts.length > MAX_LIST_LENGTH ? null : parts;
  },
  trim(s: unknown): string | null {
    const t = asText(s);
    return t === null ? null : t.trim();
  },
  replace(s: unknown, from: unknown, to: unknown): string | null {
    const t = asText(s);
    const by = asText(to);
    if (t === null || typeof from !== 'string' || by === null) return null;
    if (from === '') return t;
    return bounded(t.split(from).join(by));
  },
  /** `a[b]` with a computed key: an own property of an object, an item of a list (negative from the end); else null. */
  get(container: unknown, key: unknown): unknown {
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) return null;
    if (Array.isArray(container)) {
      const i = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(i)) return null;
      const v = container[i < 0 ? container.length + i : i];
      return v === undefined ? null : v;
    }
    if (isRecord(container) && (typeof key === 'string' || typeof key === 'number')) {
      const k = String(key);
      return Object.prototype.hasOwnProperty.call(container, k) ? (container[k] ?? null) : null;
    }
    return null;
  },
  match(subject: unknown, pattern: unknown): unknown {
    return matchGroups(subject, cachedPattern(pattern));
  },
  keys(o: unknown): string[] | null {
    return isRecord(o) ? Object.keys(o) : null;
  },
  values(o: unknown): unknown[] | null {
    return isRecord(o) ? Object.values(o) : null;
  },
  /** Objects merged shallowly, later keys win; arguments that are not objects are skipped. */
  merge_objects(...objects: unknown[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const o of objects) if (isRecord(o)) for (const [k, v] of Object.entries(o)) define(out, k, v);
    return out;
  },
  /** `omit(o, "a", "b")` or `omit(o, ["a", "b"])`. */
  omit(o: unknown, ...names: unknown[]): Record<string, unknown> | null {
    if (!isRecord(o)) return null;
    const drop = new Set(names.flat().filter((n) => typeof n === 'string'));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (!drop.has(k)) define(out, k, v);
    return out;
  },
  /** `min(list)`: the smallest of a list's numbers (`min(3)` is 3); null when empty, not a list, or a non-number is in it. */
  min_of(list: unknown): number | null {
    return extreme(list, (a, b) => a < b);
  },
  max_of(list: unknown): number | null {
    return extreme(list, (a, b) => a > b);
  },
  /** `from_pairs([["gw", "ok"], ...])`: an object; later keys win; null when an item is not a [text, value] pair. */
  from_pairs(pairs: unknown): Record<string, unknown> | null {
    if (!Array.isArray(pairs)) return null;
    const out: Record<string, unknown> = {};
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || (typeof pair[0] !== 'string' && typeof pair[0] !== 'number')) return null;
      define(out, String(pair[0]), pair[1]);
    }
    return out;
  },
  count(list: unknown): number | null {
    return Array.isArray(list) ? list.length : null;
  },
  /** Sum of a list's numbers; null when it is not a list or holds a non-number. */
  sum(list: unknown): number | null {
    if (!Array.isArray(list)) return null;
    let total = 0;
    for (const x of list) {
      if (typeof x !== 'number') return null;
      total += x;
    }
    return total;
  },
  format_time(ts: unknown, pattern: unknown, zone: unknown = 'UTC'): string | null {
    const t = timestampOf(ts);
    if (t === null || typeof pattern !== 'string') return null;
    return formatTime(t, pattern, zone === null || zone === undefined ? 'UTC' : String(zone));
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

function extreme(list: unknown, better: (a: number, b: number) => boolean): number | null {
  // min(x) of one number is that number, as min(x, y) of two is one of them.
  if (typeof list === 'number') return Number.isFinite(list) ? list : null;
  if (!Array.isArray(list) || list.length === 0) return null;
  let best: number | null = null;
  for (const x of list) {
    if (typeof x !== 'number') return null;
    if (best === null || better(x, best)) best = x;
  }
  return best;
}

const SURROGATE = /[\uD800-\uDFFF]/;
// Python's str.split() whitespace: JavaScript's \s is the same set but for U+FEFF, which Python keeps.
const LEADING_SPACE = /^[^\S\uFEFF]+/;
const SPACE_RUN = /[^\S\uFEFF]+/;

function codePoints(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

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
