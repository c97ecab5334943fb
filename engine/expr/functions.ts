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
  min: { logic: 'min', minArgs: 1, maxArgs: Infinity, accepts: NUMERIC, returns: 'number', signature: 'min(a, b, ...)' },
  max: { logic: 'max', minArgs: 1, maxArgs: Infinity, accepts: NUMERIC, returns: 'number', signature: 'max(a, b, ...)' },
};

export function functionInfo(name: string): FunctionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}
