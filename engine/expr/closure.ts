/**
 * JSON Logic → nested JavaScript closures (no eval, no Function constructor). The result
 * evaluates exactly as json-logic-js does: the same operation code (builtins.ts,
 * operations.ts), the same argument evaluation order, the same truthiness. Operations
 * without a fast path here (map, filter, reduce, missing...) defer to json-logic-js.
 */
import { JSON_LOGIC_BUILTINS } from './builtins.ts';
import { applyLogic, compilePattern, OPERATIONS, registerOperations, testPattern, truthy } from './operations.ts';
import type { JsonLogic } from './types.ts';

export type Evaluator = (data: unknown) => unknown;

/** json-logic-js's test for "this object is an operation". */
function isLogic(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1;
}

function isConstant(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

type Indexable = Record<string, unknown>;

/** `var` with a literal path: the path is split once, here, instead of on every run. */
function compileVar(path: string | number | boolean | null, notFound: unknown): Evaluator {
  if (path === '' || path === null) return (data) => data;
  const parts = String(path).split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    return (data) => {
      if (data === null || data === undefined) return notFound;
      const v = (data as Indexable)[key];
      return v === undefined ? notFound : v;
    };
  }
  if (parts.length === 2) {
    const [k0, k1] = parts as [string, string];
    return (data) => {
      if (data === null || data === undefined) return notFound;
      const mid = (data as Indexable)[k0];
      if (mid === undefined || mid === null) return notFound;
      const v = (mid as Indexable)[k1];
      return v === undefined ? notFound : v;
    };
  }
  return (data) => {
    let cur = data;
    for (let i = 0; i < parts.length; i++) {
      if (cur === null || cur === undefined) return notFound;
      cur = (cur as Indexable)[parts[i]!];
      if (cur === undefined) return notFound;
    }
    return cur;
  };
}

function compileIf(fs: Evaluator[]): Evaluator {
  const n = fs.length;
  return (data) => {
    let i = 0;
    for (; i < n - 1; i += 2) if (truthy(fs[i]!(data))) return fs[i + 1]!(data);
    if (n === i + 1) return fs[i]!(data);
    return null;
  };
}

function compileAnd(fs: Evaluator[]): Evaluator {
  return (data) => {
    let current: unknown;
    for (let i = 0; i < fs.length; i++) {
      current = fs[i]!(data);
      if (!truthy(current)) return current;
    }
    return current;
  };
}

function compileOr(fs: Evaluator[]): Evaluator {
  return (data) => {
    let current: unknown;
    for (let i = 0; i < fs.length; i++) {
      current = fs[i]!(data);
      if (truthy(current)) return current;
    }
    return current;
  };
}

type Operation = (this: unknown, ...args: unknown[]) => unknown;

/* eslint-disable @typescript-eslint/no-explicit-any -- JavaScript's coercions are the semantics here */
type Pair = (a: Evaluator, b: Evaluator) => Evaluator;
/**
 * Two-argument comparisons inlined: the hot path of every condition. Each equals its
 * builtins.ts counterpart called with exactly two arguments.
 */
const PAIRS: Readonly<Record<string, Pair>> = {
  '===': (a, b) => (d) => a(d) === b(d),
  '!==': (a, b) => (d) => a(d) !== b(d),
  // Loose comparisons reproduce JavaScript's coercions, as json-logic-js does: `any` is the honest type.
  '==': (a, b) => (d) => (a(d) as any) == b(d),
  '!=': (a, b) => (d) => (a(d) as any) != b(d),
  '<': (a, b) => (d) => (a(d) as any) < (b(d) as any),
  '<=': (a, b) => (d) => (a(d) as any) <= (b(d) as any),
  '>': (a, b) => (d) => (a(d) as any) > (b(d) as any),
  '>=': (a, b) => (d) => (a(d) as any) >= (b(d) as any),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function compileCall(op: Operation, fs: Evaluator[]): Evaluator {
  switch (fs.length) {
    case 0:
      return (data) => op.call(data);
    case 1: {
      const [a] = fs as [Evaluator];
      return (data) => op.call(data, a(data));
    }
    case 2: {
      const [a, b] = fs as [Evaluator, Evaluator];
      return (data) => op.call(data, a(data), b(data));
    }
    default:
      return (data) => op.apply(data, fs.map((f) => f(data)));
  }
}

export function compileClosure(logic: JsonLogic): Evaluator {
  if (Array.isArray(logic)) {
    const items = logic.map(compileClosure);
    return (data) => items.map((f) => f(data));
  }
  if (!isLogic(logic)) return () => logic;

  const op = Object.keys(logic)[0]!;
  const raw = logic[op];
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];

  if (op === 'var' && isConstant(values[0]) && values.length <= 2 && (values.length === 1 || isConstant(values[1]))) {
    return compileVar(values[0], values.length === 2 && values[1] !== undefined ? values[1] : null);
  }
  if (op === 'duration' && values.length === 1 && isConstant(values[0])) {
    const ms = OPERATIONS.duration!.call(null, values[0]);
    return () => ms;
  }
  if (op === 'matches' && values.length === 2 && typeof values[1] === 'string') {
    const compiled = compilePattern(values[1]);
    const regex = 'regex' in compiled ? compiled.regex : null;
    const subject = compileClosure(values[0]);
    return (data) => testPattern(subject(data), regex);
  }

  if ((op === 'map' || op === 'filter') && values.length === 2) {
    // As json-logic-js: the per-item logic sees the item as its whole data; not a list gives [].
    const list = compileClosure(values[0] as JsonLogic);
    const each = compileClosure(values[1] as JsonLogic);
    return op === 'map'
      ? (data) => {
          const l = list(data);
          return Array.isArray(l) ? l.map((item) => each(item)) : [];
        }
      : (data) => {
          const l = list(data);
          return Array.isArray(l) ? l.filter((item) => truthy(each(item))) : [];
        };
  }

  const fs = (): Evaluator[] => values.map(compileClosure);
  if (op === 'if' || op === '?:') return compileIf(fs());
  if (op === 'and') return compileAnd(fs());
  if (op === 'or') return compileOr(fs());

  const own = Object.prototype.hasOwnProperty;
  if (values.length === 2 && own.call(PAIRS, op)) {
    const [a, b] = fs() as [Evaluator, Evaluator];
    return PAIRS[op]!(a, b);
  }
  const impl = own.call(JSON_LOGIC_BUILTINS, op) ? JSON_LOGIC_BUILTINS[op] : own.call(OPERATIONS, op) ? OPERATIONS[op] : undefined;
  if (impl !== undefined) return compileCall(impl as Operation, fs());

  // map, filter, reduce, all, none, some, missing, substr...: json-logic-js does the work.
  registerOperations();
  return (data) => applyLogic(logic, data);
}
