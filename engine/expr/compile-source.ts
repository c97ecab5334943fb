/**
 * One expression text → JSON Logic, as ordered stages: bound, lex, parse, build the AST,
 * check, emit (parse-cache.ts, memoized by the text), then resolve the names and fields it reads
 * where it is written. Each stage's problems become located diagnostics; nothing throws.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { NodeProblem } from './ast.ts';
import { MAX_DEPTH } from './bounds.ts';
import { NO_FIELDS, resolveNames, type RootFields, type Roots } from './check.ts';
import type { Locator } from './locate.ts';
import { analyzeText } from './parse-cache.ts';
import type { ExprRef, JsonLogic } from './types.ts';


export interface SourceResult {
  /** Null when there are errors. */
  logic: JsonLogic;
  refs: ExprRef[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

function failed(diagnostics: Diagnostic[]): SourceResult {
  return { logic: null, refs: [], diagnostics, ok: false };
}

function syntax(locate: Locator, message: string, offset: number, hint?: string): SourceResult {
  return failed([diagnostic('EXPR_SYNTAX', message, locate(offset), hint === undefined ? {} : { hint })]);
}

export function compileSource(text: string, locate: Locator, roots: Roots, fields: RootFields = NO_FIELDS): SourceResult {
  // What the text alone decides is memoized (parse-cache.ts); names and fields are checked here.
  const analyzed = analyzeText(text);
  if (!analyzed.ok) return syntax(locate, analyzed.message, analyzed.offset, analyzed.hint);
  const problems: NodeProblem[] = [...analyzed.literalProblems, ...resolveNames(analyzed.events, roots, fields)];
  if (problems.length > 0) {
    return failed(problems.map((p) => diagnostic(p.code, p.message, locate(p.offset), p.hint === undefined ? {} : { hint: p.hint })));
  }
  if (analyzed.tooDeep) return syntax(locate, `the expression nests deeper than ${MAX_DEPTH} levels`, 0);
  return { logic: analyzed.logic, refs: [...analyzed.refs], diagnostics: [], ok: true };
}
