/**
 * Validation of a JSON Logic object given in place of an expression: every operation
 * must be one the engine evaluates, custom operations get the same literal checks as
 * source text, and `var` paths are resolved like source paths.
 */
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.ts';
import { jsonDepth, MAX_DEPTH, MAX_LOGIC_DEPTH } from './bounds.ts';
import { FORBIDDEN_SEGMENTS, NO_FIELDS, unknownField, type RootFields, type Roots } from './check.ts';
import { suggestion } from './closest.ts';
import { parseDuration } from './duration.ts';
import { FUNCTIONS } from './functions.ts';
import { compilePattern, isOperation, NOW_FIELD, OPERATIONS } from './operations.ts';
import type { ExprRef } from './types.ts';

/** json-logic-js's own operations, less `log` (it prints: the engine is pure). */
export const JSON_LOGIC_OPERATIONS: ReadonlySet<string> = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all',
  'none', 'some', 'merge', 'in', 'cat', 'substr',
]);

/** Operations whose later arguments run against each element, not the scope. */
const SCOPED: Readonly<Record<string, readonly number[]>> = { map: [1], filter: [1], all: [1], none: [1], some: [1], reduce: [1] };

function isKnownOperation(op: string): boolean {
  return JSON_LOGIC_OPERATIONS.has(op) || isOperation(op);
}

const ARITY = new Map(Object.values(FUNCTIONS).map((f) => [f.logic, f] as const));

export interface LogicCheckResult {
  refs: ExprRef[];
  diagnostics: Diagnostic[];
}

export function checkLogic(logic: unknown, roots: Roots, location: SourceLocation, fields: RootFields = NO_FIELDS): LogicCheckResult {
  const diagnostics: Diagnostic[] = [];
  const refs: ExprRef[] = [];
  const seen = new Set<string>();
  const report = (code: 'EXPR_INVALID_LOGIC' | 'EXPR_UNKNOWN_NAME' | 'EXPR_UNKNOWN_FIELD', where: string, message: string, hint?: string): void => {
    diagnostics.push(diagnostic(code, `${message}${where === '' ? '' : ` (at ${where})`}`, location, hint === undefined ? {} : { hint }));
  };

  if (jsonDepth(logic, MAX_LOGIC_DEPTH) > MAX_LOGIC_DEPTH) {
    report('EXPR_INVALID_LOGIC', '', `the JSON Logic nests deeper than ${MAX_DEPTH} operations`);
    return { refs, diagnostics };
  }

  const variable = (arg: unknown, where: string, scoped: boolean): void => {
    if (typeof arg !== 'string' && typeof arg !== 'number') return;
    const parts = String(arg).split('.');
    if (arg === '') return;
    for (const p of parts) if (FORBIDDEN_SEGMENTS.has(p)) report('EXPR_UNKNOWN_NAME', where, `'${p}' cannot be read in an expression`);
    if (scoped) return;
    const [root, ...path] = parts as [string, ...string[]];
    if (roots !== 'any' && !roots.has(root) && root !== NOW_FIELD) {
      report('EXPR_UNKNOWN_NAME', where, `unknown name '${root}'`, suggestion(root, roots, 'names'));
    }
    const field = unknownField(root, path[0], fields);
    if (field !== null) report('EXPR_UNKNOWN_FIELD', where, field.message, field.hint);
    const key = parts.join('\u0000');
    if (!seen.has(key)) {
      seen.add(key);
      refs.push({ root, path });
    }
  };

  const walk = (value: unknown, where: string, scoped: boolean): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) report('EXPR_INVALID_LOGIC', where, `${value} is not a JSON number`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}/${i}`, scoped));
      return;
    }
    if (typeof value !== 'object') {
      report('EXPR_INVALID_LOGIC', where, `a ${typeof value} is not a JSON value`);
      return;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      report('EXPR_INVALID_LOGIC', where, `a JSON Logic object has exactly one key, the operation; this one has ${keys.length}`);
      return;
    }
    const op = keys[0]!;
    const here = `${where}/${op}`;
    if (!isKnownOperation(op)) {
      const known = [...JSON_LOGIC_OPERATIONS, ...Object.keys(OPERATIONS)];
      report('EXPR_INVALID_LOGIC', where, `unknown JSON Logic operation '${op}'`, suggestion(op, known, 'operations'));
      return;
    }
    const raw = (value as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];
    const info = ARITY.get(op);
    if (info !== undefined && (args.length < info.minArgs || args.length > info.maxArgs)) {
      report('EXPR_INVALID_LOGIC', here, `'${op}' takes ${info.minArgs === info.maxArgs ? info.minArgs : `${info.minArgs} or more`} argument${info.minArgs === 1 && info.maxArgs === 1 ? '' : 's'}, got ${args.length}`);
    }
    if (op === 'var') variable(args[0], here, scoped);
    if (op === 'matches') {
      const pattern = args[1];
      const compiled = typeof pattern === 'string' ? compilePattern(pattern) : null;
      if (compiled === null) report('EXPR_INVALID_LOGIC', here, "'matches' needs a string literal regular expression as its second argument");
      else if ('error' in compiled) report('EXPR_INVALID_LOGIC', here, `invalid regular expression ${compiled.error.replace(/^Invalid regular expression: /, '')}`);
    }
    if (op === 'duration' && typeof args[0] === 'string' && parseDuration(args[0]) === null) {
      report('EXPR_INVALID_LOGIC', here, `'${args[0]}' is not a duration`);
    }
    const scopedArgs = SCOPED[op] ?? [];
    args.forEach((a, i) => walk(a, `${here}/${i}`, scoped || scopedArgs.includes(i)));
  };

  walk(logic, '', false);
  return { refs, diagnostics };
}
