/**
 * One expression text → JSON Logic, as ordered stages: bound, lex, parse, build the AST,
 * check, emit. Each stage's problems become located diagnostics; nothing throws.
 */
import { tokenMatcher } from './chevrotain.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { NodeProblem } from './ast.ts';
import { jsonDepth, MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_LOGIC_DEPTH, tooDeep } from './bounds.ts';
import { AstChecker, NO_FIELDS, type RootFields, type Roots } from './check.ts';
import { AstBuilder } from './cst-to-ast.ts';
import { parseTokens } from './grammar.ts';
import type { Locator } from './locate.ts';
import { collectRefs, toLogic } from './to-logic.ts';
import { CompareOp, In, Matches, tokenize } from './tokens.ts';
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

export function compileSource(text: string, locate: Locator, roots: Roots, fields: RootFields = NO_FIELDS): SourceResult {
  const syntax = (message: string, offset: number, hint?: string): SourceResult =>
    failed([diagnostic('EXPR_SYNTAX', message, locate(offset), hint === undefined ? {} : { hint })]);

  if (text.length > MAX_EXPRESSION_LENGTH) return syntax(`the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`, 0);
  if (text.trim() === '') return syntax('the expression is empty', 0);

  const lexed = tokenize(text);
  if (lexed.error !== null) return syntax(lexed.error.message, lexed.error.offset, lexed.error.hint);
  const deep = tooDeep(lexed.tokens);
  if (deep !== null) return syntax(`the expression nests deeper than ${MAX_DEPTH} levels`, deep.startOffset);

  const parsed = parseTokens(lexed.tokens);
  if (parsed.cst === null) {
    const token = parsed.error!.token;
    const chained = tokenMatcher(token, CompareOp) || tokenMatcher(token, In) || tokenMatcher(token, Matches);
    const hint = chained ? "comparisons do not chain: join them with 'and'" : undefined;
    return syntax(parsed.error!.message, Number.isFinite(token.startOffset) ? token.startOffset : text.trimEnd().length, hint);
  }

  const builder = new AstBuilder();
  const ast = builder.build(parsed.cst);
  const checker = new AstChecker(roots, fields);
  checker.kindOf(ast);
  const problems: NodeProblem[] = [...builder.problems, ...checker.problems];
  if (problems.length > 0) {
    return failed(problems.map((p) => diagnostic(p.code, p.message, locate(p.offset), p.hint === undefined ? {} : { hint: p.hint })));
  }

  const logic = toLogic(ast);
  if (jsonDepth(logic, MAX_LOGIC_DEPTH) > MAX_LOGIC_DEPTH) return syntax(`the expression nests deeper than ${MAX_DEPTH} levels`, 0);
  return { logic, refs: collectRefs(ast), diagnostics: [], ok: true };
}
