/**
 * The grammar, as a chevrotain CST parser. Precedence is structural, loosest first:
 *   or < and < not < comparison / in / not in / matches < + - < * / % < unary minus.
 * Comparisons do not chain (`a < b < c` is a syntax error): say what you mean with `and`.
 */
import type { CstNode, IOrAlt, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { CstParser } from './chevrotain.ts';
import {
  ALL_TOKENS,
  AddOp,
  And,
  Comma,
  CompareOp,
  Dot,
  Duration,
  False,
  Identifier,
  In,
  LBracket,
  LParen,
  Matches,
  Minus,
  MulOp,
  Not,
  Null,
  NumberLiteral,
  Or,
  PropertyName,
  RBracket,
  RParen,
  StringLiteral,
  True,
  describeToken,
} from './tokens.ts';

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** Short messages in the language's own words, not chevrotain's token names. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${label(expected)} but found ${describeToken(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describeToken(firstRedundant)} after a complete expression`,
  buildNoViableAltMessage: ({ actual }) =>
    actual[0] ? `unexpected ${describeToken(actual[0])}: expected a value, a name or '('` : 'unexpected input',
  buildEarlyExitMessage: ({ actual }) => (actual[0] ? `unexpected ${describeToken(actual[0])}` : 'unexpected input'),
};

/**
 * The alternatives of each OR are built once per parser, not on every call: a rule runs for
 * each token, and fresh closures there (named one by one under tsx) cost more than the parse.
 * This is chevrotain's documented "OR caching".
 */
class ExpressionParser extends CstParser {
  private readonly notAlts: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(Not);
        this.SUBRULE(this.notExpr);
      },
    },
    { ALT: () => this.SUBRULE(this.comparison) },
  ];

  private readonly comparisonAlts: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(CompareOp) },
    { ALT: () => this.CONSUME(In) },
    {
      ALT: () => {
        this.CONSUME(Not);
        this.CONSUME2(In);
      },
    },
    { ALT: () => this.CONSUME(Matches) },
  ];

  private readonly unaryAlts: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(Minus);
        this.SUBRULE(this.unary);
      },
    },
    { ALT: () => this.SUBRULE(this.primary) },
  ];

  private readonly primaryAlts: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(NumberLiteral) },
    { ALT: () => this.CONSUME(Duration) },
    { ALT: () => this.CONSUME(StringLiteral) },
    { ALT: () => this.CONSUME(True) },
    { ALT: () => this.CONSUME(False) },
    { ALT: () => this.CONSUME(Null) },
    { ALT: () => this.SUBRULE(this.list) },
    { ALT: () => this.SUBRULE(this.parenthesized) },
    { ALT: () => this.SUBRULE(this.reference) },
  ];

  private readonly referenceAlts: IOrAlt<unknown>[] = [
    {
      // A call's result may be indexed too: match(s, "re")[1], split(s)[0].
      ALT: () => {
        this.SUBRULE(this.callArgs);
        this.MANY2(this.callSegments);
      },
    },
    { ALT: () => this.MANY(this.segments) },
  ];

  private readonly segmentAlts: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(Dot);
        this.CONSUME(PropertyName);
      },
    },
    {
      ALT: () => {
        this.CONSUME(LBracket);
        this.SUBRULE(this.orExpr);
        this.CONSUME(RBracket);
      },
    },
  ];

  private readonly items = { SEP: Comma, DEF: () => this.SUBRULE(this.orExpr) };
  private readonly moreOr = () => {
    this.CONSUME(Or);
    this.SUBRULE2(this.andExpr);
  };
  private readonly moreAnd = () => {
    this.CONSUME(And);
    this.SUBRULE2(this.notExpr);
  };
  private readonly moreAdditive = () => {
    this.CONSUME(AddOp);
    this.SUBRULE2(this.multiplicative);
  };
  private readonly moreMultiplicative = () => {
    this.CONSUME(MulOp);
    this.SUBRULE2(this.unary);
  };
  private readonly comparisonTail = () => {
    this.OR(this.comparisonAlts);
    this.SUBRULE2(this.additive);
  };
  private readonly segments = () => this.SUBRULE(this.segment);
  private readonly callSegments = () => this.SUBRULE2(this.segment);

  constructor() {
    super(ALL_TOKENS, { maxLookahead: 2, errorMessageProvider: messages, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpr);
  });

  orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(this.moreOr);
  });

  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(this.moreAnd);
  });

  notExpr: () => CstNode = this.RULE('notExpr', () => {
    this.OR(this.notAlts);
  });

  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.OPTION(this.comparisonTail);
  });

  additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(this.moreAdditive);
  });

  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(this.moreMultiplicative);
  });

  unary: () => CstNode = this.RULE('unary', () => {
    this.OR(this.unaryAlts);
  });

  primary = this.RULE('primary', () => {
    this.OR(this.primaryAlts);
  });

  list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP(this.items);
    this.CONSUME(RBracket);
  });

  parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.orExpr);
    this.CONSUME(RParen);
  });

  /** A name, then either a call's arguments or a path, and segments: `len(x)`, `event.tags[0]`, `split(s)[0]`. */
  reference = this.RULE('reference', () => {
    this.CONSUME(Identifier);
    this.OR(this.referenceAlts);
  });

  callArgs = this.RULE('callArgs', () => {
    this.CONSUME(LParen);
    this.MANY_SEP(this.items);
    this.CONSUME(RParen);
  });

  /** `.name`, `[0]` / `["key"]` (static: part of the JSON Logic var), or `[expr]` (dynamic: `get`). */
  segment = this.RULE('segment', () => {
    this.OR(this.segmentAlts);
  });
}

let parser: ExpressionParser | undefined;

export interface ParseResult {
  cst: CstNode | null;
  error: { token: IToken; message: string } | null;
}

/** Parses a token stream; the first syntax error only, since later ones are usually echoes of it. */
export function parseTokens(tokens: IToken[]): ParseResult {
  parser ??= new ExpressionParser();
  parser.input = tokens;
  const cst = parser.expression();
  const first: IRecognitionException | undefined = parser.errors[0];
  if (first !== undefined) return { cst: null, error: { token: first.token, message: first.message } };
  return { cst, error: null };
}
