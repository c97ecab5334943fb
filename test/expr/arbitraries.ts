/**
 * fast-check generators for the expression property tests: random ASTs printed as
 * source text (with the fewest parentheses precedence allows, or with all of them),
 * and random scopes to evaluate them against.
 */
import fc from 'fast-check';
import type { Node } from '../../engine/expr/ast.ts';
import { FUNCTIONS } from '../../engine/expr/functions.ts';
import { BINARY_OPERATORS, PRECEDENCE, UNARY_OPERATORS, type BinaryOperator } from '../../engine/expr/operators.ts';

export const ROOTS = ['a', 'b', 's', 'n', 'l', 'o'] as const;
const KEYS = ['x', 'y', '0', '1', 'in'] as const;
const DURATIONS = ['500ms', '30s', '20m', '1h', '1h30m', '1d'];
const PATTERNS = ['^a', 'b$', '(?i)X', '\\d+', '.*', 'a|b'];
const TEXT = fc.string({ unit: fc.constantFrom('a', 'b', 'X', ' ', '1', '"', "'", '\\', '\n', '.', '}', '$', '{'), maxLength: 6 });

const literal: fc.Arbitrary<Node> = fc.oneof(
  fc.oneof(fc.nat({ max: 100 }), fc.constantFrom(0.5, 0.8, 0.85, 1.25, 1e21)).map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
  TEXT.map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
  fc.constantFrom(true, false, null).map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
  fc.constantFrom(...DURATIONS).map((text) => ({ kind: 'duration' as const, text, ms: 0, offset: 0 })),
);

const path: fc.Arbitrary<Node> = fc
  .tuple(fc.constantFrom(...ROOTS), fc.array(fc.constantFrom(...KEYS), { maxLength: 2 }))
  .map(([root, segments]) => ({ kind: 'path' as const, root, segments, offset: 0 }));

const BINARY = Object.keys(BINARY_OPERATORS) as BinaryOperator[];
const CALLABLE = Object.entries(FUNCTIONS).map(([name, f]) => ({ name, arity: Math.min(f.maxArgs, Math.max(f.minArgs, 2)) }));

export const expression: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    path,
    path,
    fc.tuple(fc.constantFrom(...BINARY), tie('node'), tie('node'), fc.constantFrom(...PATTERNS)).map(([op, left, right, pattern]) => ({
      kind: 'binary' as const,
      op,
      left,
      right: op === 'matches' ? { kind: 'literal' as const, value: pattern, offset: 0 } : right,
      offset: 0,
    })),
    fc.tuple(fc.constantFrom('not' as const, '-' as const), tie('node')).map(([op, operand]) => ({ kind: 'unary' as const, op, operand, offset: 0 })),
    fc.tuple(fc.constantFrom(...CALLABLE), fc.array(tie('node'), { minLength: 3, maxLength: 3 }), fc.constantFrom(...PATTERNS)).map(([f, args, pattern]) => ({
      kind: 'call' as const,
      name: f.name,
      // match() takes its pattern as a literal, as 'matches' does.
      args: (f.name === 'match' ? [args[0]!, { kind: 'literal' as const, value: pattern, offset: 0 }] : args).slice(0, f.arity),
      offset: 0,
    })),
    fc.array(tie('node'), { maxLength: 3 }).map((items) => ({ kind: 'list' as const, items, offset: 0 })),
  ),
})).node;

function precedenceOf(node: Node): number {
  if (node.kind === 'binary') return BINARY_OPERATORS[node.op].precedence;
  if (node.kind === 'unary') return UNARY_OPERATORS[node.op].precedence;
  return PRECEDENCE.unary + 1;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function printPath(node: Extract<Node, { kind: 'path' }>): string {
  return node.root + node.segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i % 2 === 0 ? `.${s}` : `[${quote(s)}]`)).join('');
}

/** Source text for an AST; `full` wraps every operation in parentheses. */
export function print(node: Node, full = false): string {
  const wrap = (child: Node, needed: boolean): string => {
    const text = print(child, full);
    return needed || (full && (child.kind === 'binary' || child.kind === 'unary')) ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? quote(node.value) : String(node.value);
    case 'duration':
      return node.text;
    case 'path':
      return printPath(node);
    case 'index':
      return `${print(node.object, full)}[${print(node.key, full)}]`;
    case 'list':
      return `[${node.items.map((n) => print(n, full)).join(', ')}]`;
    case 'call':
      return `${node.name}(${node.args.map((n) => print(n, full)).join(', ')})`;
    case 'unary': {
      const p = UNARY_OPERATORS[node.op].precedence;
      const operand = wrap(node.operand, precedenceOf(node.operand) < p);
      return node.op === 'not' ? `not ${operand}` : `- ${operand}`;
    }
    case 'binary': {
      const p = BINARY_OPERATORS[node.op].precedence;
      // Comparisons do not chain, so a comparison operand of a comparison needs parentheses.
      const nonAssoc = p === PRECEDENCE.comparison;
      const left = wrap(node.left, precedenceOf(node.left) < p || (nonAssoc && precedenceOf(node.left) === p));
      const right = wrap(node.right, precedenceOf(node.right) <= p);
      return `${left} ${node.op} ${right}`;
    }
  }
}

/** Values where JSON Logic's semantics are subtle ([] is falsy, -0, NaN, coercions) come often. */
const edge = fc.constantFrom<unknown>([], {}, '', 0, -0, Number.NaN, null, '0', '10', 1, true, false, [1, 'a'], 'a');

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noDefaultInfinity: false }),
  fc.constantFrom('a', 'b', 'ab', 'X1', ' ', '2024-01-01T00:00:00Z', '20m'),
  fc.boolean(),
);

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: edge, weight: 4 },
    { arbitrary: scalar, weight: 2 },
    { arbitrary: fc.array(tie('v'), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 }), weight: 2 },
  ),
})).v;

/** A scope with most of the roots, and a clock most of the time. */
export const scope: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(Object.fromEntries(ROOTS.map((r) => [r, value])) as Record<(typeof ROOTS)[number], fc.Arbitrary<unknown>>, { requiredKeys: [] }),
    fc.option(fc.integer({ min: 0, max: 2e12 }), { freq: 4 }),
  )
  .map(([data, now]) => (now === null ? { ...data } : { ...data, $now: now }) as Record<string, unknown>);
