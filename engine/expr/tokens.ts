/**
 * The tokens of the expression language and its lexer. Grammar, operator table and
 * visitor live in their own files (STYLE principle 13).
 */
import type { IToken, Lexer as ChevrotainLexer, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.ts';

const IDENT_CHAR = /[A-Za-z0-9_]/;
const DURATION = /(?:\d+(?:ms|[smhd]))+/y;

/** `20m`, `1h30m`, `500ms`: digits+unit groups not glued to a following name character. */
function matchDuration(text: string, offset: number): RegExpExecArray | null {
  DURATION.lastIndex = offset;
  const m = DURATION.exec(text);
  if (m === null) return null;
  const next = text[offset + m[0].length];
  if (next !== undefined && IDENT_CHAR.test(next)) return null;
  return m;
}

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

/** Anything usable after a dot: a name or a keyword (`event.in` is a field, not an operator). */
export const PropertyName = createToken({ name: 'PropertyName', pattern: Lexer.NA, label: 'a name' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'a string' });
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA, label: 'a comparison' });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA });

const DoubleQuoted = createToken({
  name: 'DoubleQuoted',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLiteral],
  label: 'a string',
});
const SingleQuoted = createToken({
  name: 'SingleQuoted',
  pattern: /'(?:[^'\\\r\n]|\\[^\r\n])*'/,
  categories: [StringLiteral],
  label: 'a string',
});
export const Duration = createToken({
  name: 'Duration',
  pattern: { exec: matchDuration },
  line_breaks: false,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  label: 'a duration',
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, label: 'a number' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [PropertyName], label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [PropertyName],
    label: `'${word}'`,
  });
}

export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const Matches = keyword('matches');
export const True = keyword('true');
export const False = keyword('false');
export const Null = keyword('null');

function punct(name: string, pattern: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, categories, label: `'${pattern}'` });
}

const Equal = punct('Equal', '==', [CompareOp]);
const NotEqual = punct('NotEqual', '!=', [CompareOp]);
const LessEqual = punct('LessEqual', '<=', [CompareOp]);
const GreaterEqual = punct('GreaterEqual', '>=', [CompareOp]);
const Less = punct('Less', '<', [CompareOp]);
const Greater = punct('Greater', '>', [CompareOp]);
const Plus = punct('Plus', '+', [AddOp]);
export const Minus = punct('Minus', '-', [AddOp]);
const Star = punct('Star', '*', [MulOp]);
const Slash = punct('Slash', '/', [MulOp]);
const Percent = punct('Percent', '%', [MulOp]);
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const Comma = punct('Comma', ',');
export const Dot = punct('Dot', '.');

/** Order matters: longer and more specific patterns first. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  DoubleQuoted,
  SingleQuoted,
  Duration,
  NumberLiteral,
  And,
  Or,
  Not,
  In,
  Matches,
  True,
  False,
  Null,
  Identifier,
  Equal,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  PropertyName,
  StringLiteral,
  CompareOp,
  AddOp,
  MulOp,
];

let lexer: ChevrotainLexer | undefined;

/** Built on first use, then reused: building a chevrotain lexer analyses every pattern. */
function expressionLexer(): ChevrotainLexer {
  lexer ??= new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  return lexer;
}

interface LexError {
  offset: number;
  message: string;
  hint?: string;
}

export interface LexResult {
  tokens: IToken[];
  error: LexError | null;
}

/** Hints for the characters people bring from other languages. */
const CHAR_HINTS: Record<string, string> = {
  '=': "compare with '=='",
  '&': "use 'and'",
  '|': "use 'or'",
  '!': "use 'not' (or '!=')",
  '{': 'objects are not expressions; write a JSON Logic object instead',
  $: "'${...}' belongs in a template string, not in an expression",
};

export function tokenize(text: string): LexResult {
  const result = expressionLexer().tokenize(text);
  const first = result.errors[0];
  if (first === undefined) return { tokens: result.tokens, error: null };
  const ch = text[first.offset] ?? '';
  const unterminated = ch === '"' || ch === "'";
  const error: LexError = {
    offset: first.offset,
    message: unterminated ? 'unterminated string' : `unexpected character ${JSON.stringify(ch)}`,
  };
  const hint = CHAR_HINTS[ch];
  if (hint !== undefined && !unterminated) error.hint = hint;
  return { tokens: result.tokens, error };
}

/** How a token reads in an error message. */
export function describeToken(token: IToken): string {
  if (token.tokenType === undefined || token.tokenType.name === 'EOF' || token.image === '') return 'the end of the expression';
  return `'${token.image}'`;
}
