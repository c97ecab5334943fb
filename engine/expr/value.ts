/**
 * A step's `with:` block: every string inside is a template, everything else is data.
 * The stored form is JSON Logic too: lists stay lists (JSON Logic evaluates each item)
 * and objects become `{"object": [[key, value], ...]}`, since a one-key object would
 * otherwise read as an operation.
 */
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.ts';
import { MAX_DEPTH } from './bounds.ts';
import { NO_FIELDS, type RootFields, type Roots } from './check.ts';
import { lazyLocatorFor } from './locate.ts';
import { compileTemplateSource, NO_OBJECTS } from './template.ts';
import type { ExprRef, JsonLogic } from './types.ts';

export type PathLocator = (path: (string | number)[]) => SourceLocation;

export interface ValueResult {
  logic: JsonLogic;
  refs: ExprRef[];
  diagnostics: Diagnostic[];
}

export function compileValueLogic(input: unknown, roots: Roots, locate: PathLocator, fields: RootFields = NO_FIELDS, objects: ReadonlySet<string> = NO_OBJECTS): ValueResult {
  const diagnostics: Diagnostic[] = [];
  const refs: ExprRef[] = [];
  const seen = new Set<string>();

  const walk = (value: unknown, path: (string | number)[]): JsonLogic => {
    if (path.length > MAX_DEPTH) {
      diagnostics.push(diagnostic('EXPR_INVALID_LOGIC', `the value nests deeper than ${MAX_DEPTH} levels`, locate(path)));
      return null;
    }
    if (typeof value === 'string') {
      if (!value.includes('${')) return value; // a literal string: itself, nothing to locate
      const r = compileTemplateSource(value, lazyLocatorFor(value, () => locate(path)), roots, fields, objects);
      diagnostics.push(...r.diagnostics);
      for (const ref of r.refs) {
        const key = [ref.root, ...ref.path].join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          refs.push(ref);
        }
      }
      return r.logic;
    }
    if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) diagnostics.push(diagnostic('EXPR_INVALID_LOGIC', `${value} is not a JSON number`, locate(path)));
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (typeof value === 'object') {
      return { object: Object.keys(value).map((k) => [k, walk((value as Record<string, unknown>)[k], [...path, k])]) };
    }
    diagnostics.push(diagnostic('EXPR_INVALID_LOGIC', `a ${typeof value} is not a JSON value`, locate(path)));
    return null;
  };

  const logic = walk(input, []);
  return { logic, refs: diagnostics.length > 0 ? [] : refs, diagnostics };
}
