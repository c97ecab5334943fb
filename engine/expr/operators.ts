/**
 * The operator table: each source operator, the JSON Logic operation it compiles to,
 * its class (which drives type checks) and its precedence (higher binds tighter).
 * The grammar encodes the same precedence structurally; printers and tests read it here.
 */

export type BinaryOperator =
  | 'or'
  | 'and'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'not in'
  | 'matches'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export type UnaryOperator = 'not' | '-';

type OperatorClass = 'logical' | 'equality' | 'ordering' | 'membership' | 'match' | 'arithmetic';

export interface BinaryOperatorInfo {
  /** The JSON Logic operation; `not in` wraps `in` in `!`. */
  logic: string;
  class: OperatorClass;
  precedence: number;
}

export const PRECEDENCE = {
  or: 1,
  and: 2,
  not: 3,
  comparison: 4,
  additive: 5,
  multiplicative: 6,
  unary: 7,
} as const;

export const BINARY_OPERATORS: Record<BinaryOperator, BinaryOperatorInfo> = {
  or: { logic: 'or', class: 'logical', precedence: PRECEDENCE.or },
  and: { logic: 'and', class: 'logical', precedence: PRECEDENCE.and },
  // Equality is strict: `1 == "1"` is false, as operators expect when reading a rule.
  '==': { logic: '===', class: 'equality', precedence: PRECEDENCE.comparison },
  '!=': { logic: '!==', class: 'equality', precedence: PRECEDENCE.comparison },
  '<': { logic: '<', class: 'ordering', precedence: PRECEDENCE.comparison },
  '<=': { logic: '<=', class: 'ordering', precedence: PRECEDENCE.comparison },
  '>': { logic: '>', class: 'ordering', precedence: PRECEDENCE.comparison },
  '>=': { logic: '>=', class: 'ordering', precedence: PRECEDENCE.comparison },
  in: { logic: 'in', class: 'membership', precedence: PRECEDENCE.comparison },
  'not in': { logic: 'in', class: 'membership', precedence: PRECEDENCE.comparison },
  matches: { logic: 'matches', class: 'match', precedence: PRECEDENCE.comparison },
  '+': { logic: '+', class: 'arithmetic', precedence: PRECEDENCE.additive },
  '-': { logic: '-', class: 'arithmetic', precedence: PRECEDENCE.additive },
  '*': { logic: '*', class: 'arithmetic', precedence: PRECEDENCE.multiplicative },
  '/': { logic: '/', class: 'arithmetic', precedence: PRECEDENCE.multiplicative },
  '%': { logic: '%', class: 'arithmetic', precedence: PRECEDENCE.multiplicative },
};

export const UNARY_OPERATORS: Record<UnaryOperator, { logic: string; precedence: number }> = {
  not: { logic: '!', precedence: PRECEDENCE.not },
  '-': { logic: '-', precedence: PRECEDENCE.unary },
};
