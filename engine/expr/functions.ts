/**
 * The fixed function table of the language: name → JSON Logic operation, arity,
 * accepted argument kinds and result kind. Declarations only; the implementations
 * are in operations.ts (STYLE principle 5: declaration apart from implementation).
 */
import type { StaticKind } from './ast.ts';

export interface FunctionInfo {
  /** The JSON Logic operation the call compiles to. */
  logic: string;
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Kinds each argument may have when the compiler can see it; absent = anything. */
  accepts?: readonly StaticKind[];
  returns: StaticKind;
  signature: string;
}

const TEXT: readonly StaticKind[] = ['string', 'unknown'];
const TIME: readonly StaticKind[] = ['string', 'number', 'unknown'];
const OBJECT: readonly StaticKind[] = ['unknown'];
const NUMERIC: readonly StaticKind[] = ['number', 'duration', 'unknown'];

export const FUNCTIONS: Readonly<Record<string, FunctionInfo>> = {
  now: { logic: 'now', minArgs: 0, maxArgs: 0, returns: 'number', signature: 'now() → epoch ms of the injected clock' },
  age: { logic: 'age', minArgs: 1, maxArgs: 1, accepts: TIME, returns: 'number', signature: 'age(ts) → now() - ts in ms (ISO string or epoch ms)' },
  len: { logic: 'len', minArgs: 1, maxArgs: 1, accepts: ['string', 'list', 'unknown'], returns: 'number', signature: 'len(x) → length of a string, list or object' },
  lower: { logic: 'lower', minArgs: 1, maxArgs: 1, accepts: TEXT, returns: 'string', signature: 'lower(s)' },
  upper: { logic: 'upper', minArgs: 1, maxArgs: 1, accepts: TEXT, returns: 'string', signature: 'upper(s)' },
  starts_with: { logic: 'starts_with', minArgs: 2, maxArgs: 2, accepts: TEXT, returns: 'boolean', signature: 'starts_with(s, prefix)' },
  ends_with: { logic: 'ends_with', minArgs: 2, maxArgs: 2, accepts: TEXT, returns: 'boolean', signature: 'ends_with(s, suffix)' },
  contains: { logic: 'contains', minArgs: 2, maxArgs: 2, returns: 'boolean', signature: 'contains(s, part) → substring, or member of a list' },
  default: { logic: 'default', minArgs: 2, maxArgs: 2, returns: 'unknown', signature: 'default(x, fallback) → fallback when x is null or missing' },
  duration: { logic: 'duration', minArgs: 1, maxArgs: 1, accepts: ['string', 'number', 'duration', 'unknown'], returns: 'duration', signature: 'duration("20m") → ms' },
  min: { logic: 'min', minArgs: 1, maxArgs: Infinity, accepts: [...NUMERIC, 'list'], returns: 'number', signature: 'min(a, b, ...) or min(list) → the smallest number' },
  max: { logic: 'max', minArgs: 1, maxArgs: Infinity, accepts: [...NUMERIC, 'list'], returns: 'number', signature: 'max(a, b, ...) or max(list) → the largest number' },
  if: { logic: 'if', minArgs: 3, maxArgs: 3, returns: 'unknown', signature: 'if(cond, then, else) → then when cond is truthy, else otherwise (only the chosen side is evaluated)' },
  concat: { logic: 'concat', minArgs: 1, maxArgs: Infinity, returns: 'string', signature: 'concat(a, b, ...) → the texts joined; null is empty' },
  string: { logic: 'string', minArgs: 1, maxArgs: 1, returns: 'string', signature: 'string(x) → text of x; null is "", lists and objects their JSON' },
  number: { logic: 'number', minArgs: 1, maxArgs: 1, accepts: ['string', 'number', 'unknown'], returns: 'number', signature: 'number(x) → the number x writes, null when not numeric' },
  round: { logic: 'round', minArgs: 1, maxArgs: 2, accepts: NUMERIC, returns: 'number', signature: 'round(x, digits?) → Python 3 round: half to even on the exact binary value' },
  substr: { logic: 'substring', minArgs: 2, maxArgs: 3, accepts: ['string', 'number', 'unknown'], returns: 'string', signature: 'substr(s, start, len?) → part of s; start < 0 counts from the end' },
  split: { logic: 'split', minArgs: 1, maxArgs: 3, returns: 'list', signature: "split(s, sep?, max?) → list of parts (Python's str.split: no sep splits on runs of whitespace; max splits at most)" },
  trim: { logic: 'trim', minArgs: 1, maxArgs: 1, accepts: TEXT, returns: 'string', signature: 'trim(s)' },
  replace: { logic: 'replace', minArgs: 3, maxArgs: 3, accepts: TEXT, returns: 'string', signature: 'replace(s, from, to) → every occurrence of from (literal text) replaced' },
  match: { logic: 'match', minArgs: 2, maxArgs: 2, accepts: TEXT, returns: 'unknown', signature: 'match(s, "regex") → groups by number (0 = whole match), or an object of named groups; null when no match' },
  keys: { logic: 'keys', minArgs: 1, maxArgs: 1, accepts: OBJECT, returns: 'list', signature: 'keys(o) → list of keys' },
  values: { logic: 'values', minArgs: 1, maxArgs: 1, accepts: OBJECT, returns: 'list', signature: 'values(o) → list of values' },
  merge: { logic: 'merge_objects', minArgs: 1, maxArgs: Infinity, accepts: OBJECT, returns: 'unknown', signature: 'merge(a, b, ...) → objects merged, later keys win' },
  omit: { logic: 'omit', minArgs: 1, maxArgs: Infinity, returns: 'unknown', signature: 'omit(o, "k", ...) → o without those keys' },
  count: { logic: 'count', minArgs: 1, maxArgs: 1, accepts: ['list', 'unknown'], returns: 'number', signature: 'count(list) → number of items' },
  sum: { logic: 'sum', minArgs: 1, maxArgs: 1, accepts: ['list', 'unknown'], returns: 'number', signature: 'sum(list) → total of its numbers' },
  filter: { logic: 'filter', minArgs: 2, maxArgs: 2, returns: 'list', signature: 'filter(list, cond) → the items for which cond is true; `it` is the item' },
  map: { logic: 'map', minArgs: 2, maxArgs: 2, returns: 'list', signature: 'map(list, expr) → expr for each item; `it` is the item' },
  from_pairs: { logic: 'from_pairs', minArgs: 1, maxArgs: 1, accepts: ['list', 'unknown'], returns: 'unknown', signature: 'from_pairs([[key, value], ...]) → an object; later keys win' },
  format_time: { logic: 'format_time', minArgs: 2, maxArgs: 3, accepts: TIME, returns: 'string', signature: 'format_time(ts, "YYYY-MM-DD HH:mm:ss", "Europe/Paris") → ts written in that zone (UTC by default)' },
};

/**
 * Functions whose last argument is evaluated once per item of the first, with the item as its
 * only data (JSON Logic's map and filter): inside it, `it` is the item and nothing else is named.
 */
export const PER_ITEM_FUNCTIONS: ReadonlySet<string> = new Set(['filter', 'map']);

/** The name of the current item inside filter() and map(). */
export const ITEM_NAME = 'it';

export function functionInfo(name: string): FunctionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}
