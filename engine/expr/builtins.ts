/**
 * json-logic-js 2.0.5's own operations, copied line for line so the closure compiler
 * evaluates exactly as the oracle does. `any` is deliberate: these reproduce JavaScript's
 * coercions (`"3" < 10`, `null + 1`) because JSON Logic's semantics are defined by them.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { truthy } from './operations.ts';

type Operation = (this: unknown, ...args: any[]) => unknown;

export const JSON_LOGIC_BUILTINS: Readonly<Record<string, Operation>> = {
  '==': (a: any, b: any) => a == b,
  '===': (a: any, b: any) => a === b,
  '!=': (a: any, b: any) => a != b,
  '!==': (a: any, b: any) => a !== b,
  '>': (a: any, b: any) => a > b,
  '>=': (a: any, b: any) => a >= b,
  '<': (a: any, b: any, c?: any) => (c === undefined ? a < b : a < b && b < c),
  '<=': (a: any, b: any, c?: any) => (c === undefined ? a <= b : a <= b && b <= c),
  '!!': (a: any) => truthy(a),
  '!': (a: any) => !truthy(a),
  '%': (a: any, b: any) => a % b,
  in: (a: any, b: any) => {
    if (!b || typeof b.indexOf === 'undefined') return false;
    return b.indexOf(a) !== -1;
  },
  cat(...args: any[]) {
    return args.join('');
  },
  '+'(...args: any[]) {
    return args.reduce((a: any, b: any) => parseFloat(a) + parseFloat(b), 0);
  },
  '*'(...args: any[]) {
    return args.reduce((a: any, b: any) => parseFloat(a) * parseFloat(b));
  },
  '-': (a: any, b?: any) => (b === undefined ? -a : a - b),
  '/': (a: any, b: any) => a / b,
  min: (...args: any[]) => Math.min(...args),
  max: (...args: any[]) => Math.max(...args),
  merge(...args: any[]) {
    return args.reduce((a: any[], b: any) => a.concat(b), []);
  },
  var(this: any, a: any, b?: any) {
    const notFound = b === undefined ? null : b;
    let data = this;
    if (typeof a === 'undefined' || a === '' || a === null) return data;
    const parts = String(a).split('.');
    for (let i = 0; i < parts.length; i++) {
      if (data === null || data === undefined) return notFound;
      data = data[parts[i]!];
      if (data === undefined) return notFound;
    }
    return data;
  },
};
