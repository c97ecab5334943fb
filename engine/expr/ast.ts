/**
 * The expression AST: what the CST visitor builds and the checker and JSON Logic
 * emitter read. Offsets are into the expression text; they become file locations late.
 */
import type { BinaryOperator, UnaryOperator } from './operators.ts';

type Literal = string | number | boolean | null;

export type Node =
  | { kind: 'literal'; value: Literal; offset: number }
  | { kind: 'duration'; text: string; ms: number; offset: number }
  | { kind: 'list'; items: Node[]; offset: number }
  | { kind: 'path'; root: string; segments: string[]; offset: number }
  | { kind: 'call'; name: string; args: Node[]; offset: number }
  /** `object[key]` with a computed key, and every segment after it. */
  | { kind: 'index'; object: Node; key: Node; offset: number }
  | { kind: 'unary'; op: UnaryOperator; operand: Node; offset: number }
  /** `offset` is the operator token, which is what a type error points at. */
  | { kind: 'binary'; op: BinaryOperator; left: Node; right: Node; offset: number };

/** What the compiler can know of a value's type before running. */
export type StaticKind = 'number' | 'duration' | 'string' | 'boolean' | 'null' | 'list' | 'unknown';

/** A problem found while building or checking the AST, located by offset. */
export interface NodeProblem {
  code: 'EXPR_SYNTAX' | 'EXPR_UNKNOWN_NAME' | 'EXPR_UNKNOWN_FIELD' | 'EXPR_UNKNOWN_FUNCTION' | 'EXPR_TYPE';
  message: string;
  offset: number;
  hint?: string;
}
