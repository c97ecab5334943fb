/**
 * The stages of compiling an expression that depend on its text alone (bound, lex, parse, build
 * the AST, type checks, JSON Logic, refs), memoized by the text; only the names and fields an
 * expression reads are checked on every compile, against the place it is written
 * (check.ts: resolveNames). A repository's playbooks repeat their expressions (`event.service`,
 * `${event.host}`, a consensus row), so lint of many playbooks analyzes each distinct text once.
 * The answer for a text is the same whoever asks; the JSON Logic and refs it holds are frozen,
 * since every compile of that text shares them. Bounded: past MAX_ENTRIES the memo starts over.
 */
import type { IToken } from 'chevrotain';
import type { NodeProblem } from './ast.ts';
import { tokenMatcher } from './chevrotain.ts';
import { jsonDepth, MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_LOGIC_DEPTH, tooDeep } from './bounds.ts';
import { AstChecker, type CheckEvent } from './check.ts';
import { AstBuilder } from './cst-to-ast.ts';
import { parseTokens } from './grammar.ts';
import { collectRefs, toLogic } from './to-logic.ts';
import { CompareOp, In, Matches, tokenize } from './tokens.ts';
import type { ExprRef, JsonLogic } from './types.ts';

export type AnalyzedText =
  | {
      ok: true;
      /** Problems of the literals (the AST builder's), then the checker's events in order. */
      literalProblems: readonly NodeProblem[];
      events: readonly CheckEvent[];
      logic: JsonLogic;
      /** The JSON Logic nests deeper than the evaluator accepts. */
      tooDeep: boolean;
      refs: readonly ExprRef[];
    }
  | { ok: false; message: string; offset: number; hint?: string };

const MAX_ENTRIES = 20_000;
const memo = new Map<string, AnalyzedText>();

export function analyzeText(text: string): AnalyzedText {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const analyzed = analyze(text);
  if (memo.size >= MAX_ENTRIES) memo.clear();
  memo.set(text, analyzed);
  return analyzed;
}

/** Forgets every analyzed text (the benchmark measures the path without shared expressions with it). */
export function clearParseCache(): void {
  memo.clear();
}

function syntax(message: string, offset: number, hint?: string): AnalyzedText {
  return hint === undefined ? { ok: false, message, offset } : { ok: false, message, offset, hint };
}

function analyze(text: string): AnalyzedText {
  if (text.length > MAX_EXPRESSION_LENGTH) return syntax(`the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`, 0);
  if (text.trim() === '') return syntax('the expression is empty', 0);

  const lexed = tokenize(text);
  if (lexed.error !== null) return syntax(lexed.error.message, lexed.error.offset, lexed.error.hint);
  const deep = tooDeep(lexed.tokens);
  if (deep !== null) return syntax(`the expression nests deeper than ${MAX_DEPTH} levels`, deep.startOffset);

  const parsed = parseTokens(lexed.tokens);
  if (parsed.cst === null) {
    const token: IToken = parsed.error!.token;
    const chained = tokenMatcher(token, CompareOp) || tokenMatcher(token, In) || tokenMatcher(token, Matches);
    const hint = chained ? "comparisons do not chain: join them with 'and'" : undefined;
    return syntax(parsed.error!.message, Number.isFinite(token.startOffset) ? token.startOffset : text.trimEnd().length, hint);
  }
  const builder = new AstBuilder();
  const ast = builder.build(parsed.cst);
  const checker = new AstChecker();
  checker.kindOf(ast);
  const logic = toLogic(ast);
  const tooDeepLogic = jsonDepth(logic, MAX_LOGIC_DEPTH) > MAX_LOGIC_DEPTH;
  return {
    ok: true,
    literalProblems: builder.problems,
    events: checker.events,
    logic: deepFreeze(logic),
    tooDeep: tooDeepLogic,
    refs: collectRefs(ast).map((r) => Object.freeze({ root: r.root, path: Object.freeze([...r.path]) as string[] })),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
