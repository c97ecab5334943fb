/** The language's operations reach json-logic-js only through registerOperations(). */
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateLogic, registerOperations } from '../../engine/expr/index.ts';

describe('registerOperations', () => {
  it('is explicit: importing and compiling registers nothing in json-logic-js', () => {
    const r = compileExpression('lower(x) == "a"', { roots: 'any', location: { file: 'f', line: 1, column: 1 } });
    expect(r.expr!.evaluate({ x: 'A' })).toBe(true);
    expect(() => jsonLogic.apply({ lower: ['A'] })).toThrow(/Unrecognized operation lower/);
  });

  it('adds the operations once, and the oracle calls it', () => {
    expect(evaluateLogic({ lower: ['A'] }, {})).toBe('a');
    registerOperations();
    registerOperations();
    expect(jsonLogic.apply({ upper: ['a'] })).toBe('A');
    expect(jsonLogic.apply({ now: [] }, { $now: 5 })).toBe(5);
  });
});
