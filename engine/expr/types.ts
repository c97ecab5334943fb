/** The public shapes of the expression compiler; index.ts re-exports them. */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';

/** A JSON value: the stored, auditable form of an expression. */
export type JsonLogic = unknown;

/** A data path an expression reads: `memory.best.score` → { root: 'memory', path: ['best', 'score'] }. */
export interface ExprRef {
  root: string;
  path: string[];
}

export interface CompiledExpr {
  /** The text as written, or JSON.stringify of a given logic object. */
  source: string;
  logic: JsonLogic;
  refs: ExprRef[];
  /** Fast closure; `scope.$now` carries the injected clock's time in epoch ms. */
  evaluate(scope: Record<string, unknown>): unknown;
}

export interface CompileOptions {
  roots: ReadonlySet<string> | 'any';
  location: SourceLocation;
  /** Known first-level fields of some roots (`event`), checked at compile time. */
  fields?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Names whose value is an object or a list, never text: inside a template's text they are an error. */
  objects?: ReadonlySet<string>;
}

export interface CompileResult {
  expr: CompiledExpr | null;
  diagnostics: Diagnostic[];
}
