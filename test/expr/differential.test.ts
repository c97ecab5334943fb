/**
 * Differential property tests: random expressions, printed as source, compile, and the
 * compiled closure evaluates exactly as json-logic-js (the oracle) on random data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateLogic } from '../../engine/expr/index.ts';
import { expression, print, ROOTS, scope } from './arbitraries.ts';

const options = { roots: new Set<string>(ROOTS), location: { file: 'prop.yaml', line: 1, column: 1 } };

type Outcome = { value: unknown } | { threw: true };
function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch {
    return { threw: true };
  }
}

describe('closure vs json-logic-js on random expressions', () => {
  it('every printed AST parses; those that type-check evaluate identically both ways', () => {
    let evaluated = 0;
    let total = 0;
    fc.assert(
      fc.property(expression, fc.array(scope, { minLength: 1, maxLength: 6 }), (ast, scopes) => {
        total++;
        const source = print(ast);
        const r = compileExpression(source, options);
        // The printer only writes valid syntax; the only acceptable refusals are type errors
        // (random trees compare strings with numbers), over-deep trees, and outer names inside
        // filter()/map(), whose per-item argument reads only `it`.
        for (const d of r.diagnostics) {
          const accepted = d.code === 'EXPR_TYPE' || (d.code === 'EXPR_SYNTAX' && /deeper/.test(d.message)) || (d.code === 'EXPR_UNKNOWN_NAME' && /inside filter\(\) and map\(\)/.test(d.message));
          expect(accepted, `${source}: ${d.code} ${d.message}`).toBe(true);
        }
        if (r.expr === null) return;
        evaluated++;
        for (const data of scopes) {
          expect(outcome(() => r.expr!.evaluate(data)), source).toEqual(outcome(() => evaluateLogic(r.expr!.logic, data)));
        }
      }),
      { numRuns: 1500 },
    );
    // Guard against a generator that only produces refused expressions.
    expect(evaluated / total).toBeGreaterThan(0.4);
  });

  it('precedence: minimal and fully parenthesized printings compile to the same JSON Logic', () => {
    fc.assert(
      fc.property(expression, (ast) => {
        const minimal = compileExpression(print(ast), options);
        const full = compileExpression(print(ast, true), options);
        expect(minimal.diagnostics.map((d) => d.code)).toEqual(full.diagnostics.map((d) => d.code));
        expect(minimal.expr?.logic).toEqual(full.expr?.logic);
      }),
      { numRuns: 800 },
    );
  });

  it('refs are exactly the roots and paths the expression reads', () => {
    fc.assert(
      fc.property(expression, (ast) => {
        const r = compileExpression(print(ast), { ...options, roots: 'any' });
        if (r.expr === null) return;
        for (const ref of r.expr.refs) expect(ROOTS).toContain(ref.root);
        const keys = r.expr.refs.map((x) => [x.root, ...x.path].join('.'));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });
});
