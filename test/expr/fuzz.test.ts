/** Fuzz: compilation never throws, whatever the input, and its result is consistent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate, compileValue, type CompileResult } from '../../engine/expr/index.ts';

const location = { file: 'fuzz.yaml', line: 3, column: 5 };
const roots = new Set(['event', 'a']);

/** Fragments of the language, so random strings often get past the lexer and deep into the parser. */
const FRAGMENTS = [
  'event', '.', 'a', '[', ']', '(', ')', ',', '0', '1.5', '20m', '1h30m', '"s"', "'t'", '"\\"', 'and', 'or', 'not',
  'in', 'matches', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'true', 'null', 'len', 'now', 'age',
  '"(?i)x"', '"("', ' ', '\n', '${', '}', '$${', '=', '!', '&', 'ü', '\u0000', '__proto__', 'constructor',
];
const tokenSoup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((xs) => xs.join(''));

function consistent(r: CompileResult): void {
  expect(r.expr === null).toBe(r.diagnostics.some((d) => d.severity === 'error'));
  for (const d of r.diagnostics) {
    expect(d.message).not.toMatch(/internal error/);
    expect(d.code).toMatch(/^EXPR_/);
    expect(d.location.file).toBe('fuzz.yaml');
    expect(d.location.line).toBeGreaterThanOrEqual(3);
    expect(d.location.column).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(d.location.line) && Number.isInteger(d.location.column)).toBe(true);
  }
  // What compiles also evaluates on ordinary data without throwing.
  if (r.expr !== null) r.expr.evaluate({ event: { a: [1], s: 'x' }, a: 2, $now: 0 });
}

describe('compile never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        consistent(compileExpression(s, { roots, location }));
        consistent(compileTemplate(s, { roots, location }));
      }),
      { numRuns: 1000 },
    );
  });

  it('on token soup', () => {
    fc.assert(
      fc.property(tokenSoup, (s) => {
        consistent(compileExpression(s, { roots, location }));
        consistent(compileExpression(s, { roots: 'any', location }));
        consistent(compileTemplate(s, { roots, location }));
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary JSON given as logic or as a with: value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        consistent(compileExpression(v as object, { roots, location }));
        consistent(compileValue(v, { roots, locate: () => location }));
      }),
      { numRuns: 500 },
    );
  });

  it('on values that are not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['and'] = [cyclic];
    const inputs: unknown[] = [cyclic, { var: undefined }, { '==': [() => 1, 1] }, Symbol('s'), 10n, Number.NaN, Infinity, undefined];
    for (const v of inputs) {
      consistent(compileExpression(v as object, { roots, location }));
      consistent(compileValue(v, { roots, locate: () => location }));
    }
  });
});
