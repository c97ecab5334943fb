/**
 * Input bounds, checked before the recursive stages run, so hostile or broken input
 * becomes a diagnostic instead of a stack overflow.
 */
import type { IToken } from 'chevrotain';

export const MAX_EXPRESSION_LENGTH = 4096;
export const MAX_DEPTH = 64;
/** Longest string a function builds (concat, replace, string); longer gives null. */
export const MAX_STRING_LENGTH = 100_000;
/** Most items split() makes; more gives null. */
export const MAX_LIST_LENGTH = 10_000;
/** JSON depth allowed for logic: an operation level is an object plus its argument array. */
export const MAX_LOGIC_DEPTH = 2 * MAX_DEPTH + 2;

const OPENERS = new Set(['LParen', 'LBracket']);
const CLOSERS = new Set(['RParen', 'RBracket']);
/** After these a '-' is a sign, not a subtraction. */
const OPERAND_ENDS = new Set(['NumberLiteral', 'Duration', 'DoubleQuoted', 'SingleQuoted', 'True', 'False', 'Null', 'Identifier', 'RParen', 'RBracket']);
const BINARY = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'In', 'Matches', 'Plus', 'Minus', 'Star', 'Slash', 'Percent']);
const SEPARATORS = new Set(['And', 'Or', 'Comma']);

interface Level {
  base: number;
  nots: number;
  signs: number;
}

/**
 * An upper estimate of how deep the parser will recurse: brackets, plus the prefix
 * `not`s and signs that wrap what follows them. Returns the token that goes too deep.
 */
export function tooDeep(tokens: readonly IToken[]): IToken | null {
  const stack: Level[] = [];
  let level: Level = { base: 0, nots: 0, signs: 0 };
  const depth = (): number => level.base + level.nots + level.signs;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.tokenType.name;
    const prev = tokens[i - 1]?.tokenType.name;
    if (OPENERS.has(name)) {
      const d = depth() + 1;
      if (d > MAX_DEPTH) return t;
      stack.push(level);
      level = { base: d, nots: 0, signs: 0 };
    } else if (CLOSERS.has(name)) {
      level = stack.pop() ?? level;
    } else if (name === 'Not' && tokens[i + 1]?.tokenType.name !== 'In') {
      level.nots++;
      if (depth() > MAX_DEPTH) return t;
    } else if (name === 'Minus' && (prev === undefined || !OPERAND_ENDS.has(prev))) {
      level.signs++;
      if (depth() > MAX_DEPTH) return t;
    } else if (SEPARATORS.has(name)) {
      level.nots = 0;
      level.signs = 0;
    } else if (BINARY.has(name)) {
      level.signs = 0;
    }
  }
  return null;
}

/** Depth of a JSON value, stopping as soon as it passes `limit` (so cycles end too). */
export function jsonDepth(value: unknown, limit: number = MAX_DEPTH): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit < 0) return 1;
  let max = 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    const d = jsonDepth(child, limit - 1);
    if (d > max) max = d;
    if (max > limit) break;
  }
  return max + 1;
}
