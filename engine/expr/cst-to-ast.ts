/**
 * The CST visitor: chevrotain's concrete syntax tree → the expression AST. Literal
 * problems the grammar cannot see (a bad duration, a fractional index, an unknown
 * escape) are reported here, located at their token.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Node, NodeProblem } from './ast.ts';
import { parseDuration } from './duration.ts';
import type { BinaryOperator } from './operators.ts';

type Children = Record<string, CstElement[] | undefined>;

function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] ?? []) as CstNode[];
}
function tokens(ctx: Children, key: string): IToken[] {
  return (ctx[key] ?? []) as IToken[];
}
function node(ctx: Children, key: string): CstNode | undefined {
  return nodes(ctx, key)[0];
}
function token(ctx: Children, key: string): IToken | undefined {
  return tokens(ctx, key)[0];
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t', '/': '/' };

/**
 * Reads a quoted string. Escapes the language knows are decoded; any other backslash is
 * kept as written, so a regex such as "^disk \d+" means what it says.
 */
function unquote(image: string): string {
  const body = image.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? '';
    const known = ESCAPES[next];
    if (known !== undefined) {
      out += known;
      i++;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      out += ch;
    }
  }
  return out;
}

export class AstBuilder {
  readonly problems: NodeProblem[] = [];

  build(cst: CstNode): Node {
    return this.orExpr(node(cst.children, 'orExpr')!);
  }

  private problem(code: NodeProblem['code'], message: string, offset: number, hint?: string): void {
    const p: NodeProblem = { code, message, offset };
    if (hint !== undefined) p.hint = hint;
    this.problems.push(p);
  }

  /** `a and b and c` flattens later; here each level is a left-folded chain. */
  private chain(operands: Node[], ops: IToken[], opOf: (t: IToken) => BinaryOperator): Node {
    let left = operands[0]!;
    for (let i = 1; i < operands.length; i++) {
      const op = ops[i - 1]!;
      left = { kind: 'binary', op: opOf(op), left, right: operands[i]!, offset: op.startOffset };
    }
    return left;
  }

  private orExpr(cst: CstNode): Node {
    const c = cst.children;
    return this.chain(nodes(c, 'andExpr').map((n) => this.andExpr(n)), tokens(c, 'Or'), () => 'or');
  }

  private andExpr(cst: CstNode): Node {
    const c = cst.children;
    return this.chain(nodes(c, 'notExpr').map((n) => this.notExpr(n)), tokens(c, 'And'), () => 'and');
  }

  private notExpr(cst: CstNode): Node {
    const c = cst.children;
    const not = token(c, 'Not');
    if (not !== undefined) return { kind: 'unary', op: 'not', operand: this.notExpr(node(c, 'notExpr')!), offset: not.startOffset };
    return this.comparison(node(c, 'comparison')!);
  }

  private comparison(cst: CstNode): Node {
    const c = cst.children;
    const [leftCst, rightCst] = nodes(c, 'additive');
    const left = this.additive(leftCst!);
    if (rightCst === undefined) return left;
    const right = this.additive(rightCst);
    const compare = token(c, 'CompareOp');
    const not = token(c, 'Not');
    const opToken = compare ?? not ?? token(c, 'In') ?? token(c, 'Matches')!;
    const op: BinaryOperator = compare ? (compare.image as BinaryOperator) : not ? 'not in' : (opToken.image as BinaryOperator);
    return { kind: 'binary', op, left, right, offset: opToken.startOffset };
  }

  private additive(cst: CstNode): Node {
    const c = cst.children;
    return this.chain(nodes(c, 'multiplicative').map((n) => this.multiplicative(n)), tokens(c, 'AddOp'), (t) => t.image as BinaryOperator);
  }

  private multiplicative(cst: CstNode): Node {
    const c = cst.children;
    return this.chain(nodes(c, 'unary').map((n) => this.unary(n)), tokens(c, 'MulOp'), (t) => t.image as BinaryOperator);
  }

  private unary(cst: CstNode): Node {
    const c = cst.children;
    const minus = token(c, 'Minus');
    if (minus !== undefined) return { kind: 'unary', op: '-', operand: this.unary(node(c, 'unary')!), offset: minus.startOffset };
    return this.primary(node(c, 'primary')!);
  }

  private primary(cst: CstNode): Node {
    const c = cst.children;
    const num = token(c, 'NumberLiteral');
    if (num) return { kind: 'literal', value: this.number(num), offset: num.startOffset };
    const dur = token(c, 'Duration');
    if (dur) return this.duration(dur);
    const str = token(c, 'StringLiteral');
    if (str) return { kind: 'literal', value: unquote(str.image), offset: str.startOffset };
    for (const [key, value] of [['True', true], ['False', false], ['Null', null]] as const) {
      const t = token(c, key);
      if (t) return { kind: 'literal', value, offset: t.startOffset };
    }
    const list = node(c, 'list');
    if (list) {
      const open = token(list.children, 'LBracket')!;
      return { kind: 'list', items: nodes(list.children, 'orExpr').map((n) => this.orExpr(n)), offset: open.startOffset };
    }
    const paren = node(c, 'parenthesized');
    if (paren) return this.orExpr(node(paren.children, 'orExpr')!);
    return this.reference(node(c, 'reference')!);
  }

  private number(t: IToken): number {
    const value = Number(t.image);
    if (!Number.isFinite(value)) {
      this.problem('EXPR_SYNTAX', `the number ${t.image} is too large`, t.startOffset);
      return 0;
    }
    return value;
  }

  private duration(t: IToken): Node {
    const ms = parseDuration(t.image);
    if (ms === null) {
      this.problem('EXPR_SYNTAX', `invalid duration '${t.image}'`, t.startOffset, 'units go from largest to smallest, each once: 1d2h30m15s500ms');
    }
    return { kind: 'duration', text: t.image, ms: ms ?? 0, offset: t.startOffset };
  }

  private reference(cst: CstNode): Node {
    const c = cst.children;
    const name = token(c, 'Identifier')!;
    const call = node(c, 'callArgs');
    const path: Extract<Node, { kind: 'path' }> = { kind: 'path', root: name.image, segments: [], offset: name.startOffset };
    let current: Node = path;
    if (call) {
      const args = nodes(call.children, 'orExpr').map((n) => this.orExpr(n));
      current = { kind: 'call', name: name.image, args, offset: name.startOffset };
    }
    for (const s of nodes(c, 'segment')) {
      const segment = this.segment(s);
      if (typeof segment === 'string' && current === path) path.segments.push(segment);
      else {
        const key: Node = typeof segment === 'string' ? { kind: 'literal', value: segment, offset: s.location?.startOffset ?? name.startOffset } : segment;
        current = { kind: 'index', object: current, key, offset: key.offset };
      }
    }
    return current;
  }

  /** A static segment as text, or the expression of a computed `[key]`. */
  private segment(cst: CstNode): string | Node {
    const c = cst.children;
    const prop = token(c, 'PropertyName');
    if (prop) return prop.image;
    const key = this.orExpr(node(c, 'orExpr')!);
    if (key.kind !== 'literal') return key;
    if (typeof key.value === 'number') {
      if (!Number.isInteger(key.value) || key.value < 0) this.problem('EXPR_SYNTAX', `an index must be a whole number, not ${key.value}`, key.offset);
      return String(key.value);
    }
    if (typeof key.value !== 'string') {
      this.problem('EXPR_SYNTAX', `an index must be a number or a string, not ${String(key.value)}`, key.offset);
      return String(key.value);
    }
    // JSON Logic's var splits its path on dots, so such a key cannot be a static segment: read it with get.
    if (key.value.includes('.')) return key;
    return key.value;
  }
}
