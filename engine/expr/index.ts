/**
 * The expression language: conditions (`when:`) and `${...}` templates, compiled once at
 * load to JSON Logic (the stored, auditable form) and then to closures (the fast form).
 * Compilation never throws: every problem is a located Diagnostic.
 */
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.ts';
import { compileClosure } from './closure.ts';
import { compileSource } from './compile-source.ts';
import { locatorFor } from './locate.ts';
import { checkLogic } from './logic-check.ts';
import { applyLogic } from './operations.ts';
import { compileTemplateSource } from './template.ts';
import type { CompileOptions, CompileResult, CompiledExpr, ExprRef, JsonLogic } from './types.ts';
import { compileValueLogic } from './value.ts';

export type { CompileOptions, CompileResult, CompiledExpr, JsonLogic } from './types.ts';
export { parseDuration } from './duration.ts';
export { registerOperations } from './operations.ts';

function compiled(source: string, logic: JsonLogic, refs: ExprRef[]): CompiledExpr {
  // The closure is built on the first evaluation: lint compiles every expression and runs none.
  let run: ReturnType<typeof compileClosure> | null = null;
  return { source, logic, refs, evaluate: (scope) => (run ??= compileClosure(logic))(scope) };
}

function result(source: string, r: { logic: JsonLogic; refs: ExprRef[]; diagnostics: Diagnostic[] }): CompileResult {
  if (r.diagnostics.some((d) => d.severity === 'error')) return { expr: null, diagnostics: r.diagnostics };
  return { expr: compiled(source, r.logic, r.refs), diagnostics: r.diagnostics };
}

/** Last line of defence for "never throws": a bug becomes a diagnostic, not a crash of lint. */
function guarded(location: SourceLocation, run: () => CompileResult): CompileResult {
  try {
    return run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { expr: null, diagnostics: [diagnostic('EXPR_SYNTAX', `internal error while compiling: ${message}`, location)] };
  }
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A condition: expression text, a literal, or a JSON Logic object (validated). */
export function compileExpression(input: string | number | boolean | null | object, options: CompileOptions): CompileResult {
  return guarded(options.location, () => {
    if (typeof input === 'string') return result(input, compileSource(input, locatorFor(input, options.location), options.roots, options.fields));
    if (input === null || typeof input === 'boolean' || (typeof input === 'number' && Number.isFinite(input))) {
      return result(stringify(input), { logic: input, refs: [], diagnostics: [] });
    }
    if (typeof input === 'object') {
      const checked = checkLogic(input, options.roots, options.location, options.fields);
      if (checked.diagnostics.length > 0) return { expr: null, diagnostics: checked.diagnostics };
      const source = stringify(input);
      // A private copy: later edits of the caller's object must not change the stored form.
      return result(source, { logic: JSON.parse(source) as JsonLogic, refs: checked.refs, diagnostics: [] });
    }
    return { expr: null, diagnostics: [diagnostic('EXPR_INVALID_LOGIC', `${String(input)} is not an expression`, options.location)] };
  });
}

/** A string with `${...}` interpolations. */
export function compileTemplate(input: string, options: CompileOptions): CompileResult {
  return guarded(options.location, () => {
    if (typeof input !== 'string') return compileExpression(input, options);
    return result(input, compileTemplateSource(input, locatorFor(input, options.location), options.roots, options.fields, options.objects));
  });
}

/**
 * Compile every string inside a JSON-like value (a step's `with:` block) as a template;
 * returns one CompiledExpr whose evaluate() returns the whole value with strings rendered.
 * Locations of nested strings come from `locate(path)`.
 */
export function compileValue(
  input: unknown,
  options: {
    roots: ReadonlySet<string> | 'any';
    locate: (path: (string | number)[]) => SourceLocation;
    fields?: ReadonlyMap<string, ReadonlySet<string>>;
    objects?: ReadonlySet<string>;
  },
): CompileResult {
  const fallback: SourceLocation = { file: '<unknown>', line: 1, column: 1 };
  let where = fallback;
  try {
    where = options.locate([]);
  } catch {
    // a locator that cannot place the root still gets its nested strings placed
  }
  return guarded(where, () => result(stringify(input), compileValueLogic(input, options.roots, options.locate, options.fields, options.objects)));
}

/** The oracle: json-logic-js itself, with the language's operations registered. */
export function evaluateLogic(logic: JsonLogic, scope: Record<string, unknown>): unknown {
  return applyLogic(logic, scope);
}
