/** A JSON Logic object is accepted wherever an expression is; its operations are validated. */
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../engine/expr/index.ts';

const location = { file: 'pb.yaml', line: 4, column: 9 };
const roots = new Set(['event', 'items']);
const compile = (logic: unknown) => compileExpression(logic as object, { roots, location });

describe('JSON Logic given as an expression', () => {
  it('compiles, keeps the source as JSON and evaluates', () => {
    const logic = { and: [{ '===': [{ var: 'event.status' }, 'down'] }, { '>': [{ age: [{ var: 'event.at' }] }, { duration: '5m' }] }] };
    const r = compile(logic);
    expect(r.diagnostics).toEqual([]);
    expect(r.expr!.source).toBe(JSON.stringify(logic));
    expect(r.expr!.logic).toEqual(logic);
    expect(r.expr!.refs).toEqual([
      { root: 'event', path: ['status'] },
      { root: 'event', path: ['at'] },
    ]);
    expect(r.expr!.evaluate({ $now: 600_000, event: { status: 'down', at: 0 } })).toBe(true);
    expect(r.expr!.evaluate({ $now: 60_000, event: { status: 'down', at: 0 } })).toBe(false);
  });

  it('stores a private copy: editing the input afterwards changes nothing', () => {
    const logic = { '===': [{ var: 'event.x' }, 1] };
    const r = compile(logic);
    logic['==='][1] = 2;
    expect(r.expr!.evaluate({ event: { x: 1 } })).toBe(true);
    expect(r.expr!.logic).toEqual({ '===': [{ var: 'event.x' }, 1] });
  });

  it.each([
    [42, '42'],
    [true, 'true'],
    [null, 'null'],
    ['event.x', 'event.x'],
  ])('accepts the literal %j', (input, source) => {
    const r = compileExpression(input, { roots, location });
    expect(r.diagnostics).toEqual([]);
    expect(r.expr!.source).toBe(source);
  });

  it('skips refs inside map/filter bodies, which read each element', () => {
    const r = compile({ some: [{ var: 'items' }, { '===': [{ var: 'name' }, 'x'] }] });
    expect(r.diagnostics).toEqual([]);
    expect(r.expr!.refs).toEqual([{ root: 'items', path: [] }]);
  });

  const invalid: Array<[string, unknown, string, RegExp, RegExp?]> = [
    ['unknown operation', { '==': [1, { frobnicate: [1] }] }, 'EXPR_INVALID_LOGIC', /unknown JSON Logic operation 'frobnicate' \(at \/==\/1\)/],
    ['close to a known one', { mtaches: [{ var: 'event.x' }, 'a'] }, 'EXPR_INVALID_LOGIC', /mtaches/, /did you mean 'matches'/],
    ['log prints, so it is refused', { log: 'x' }, 'EXPR_INVALID_LOGIC', /'log'/],
    ['dotted operation names', { 'Math.max': [1, 2] }, 'EXPR_INVALID_LOGIC', /Math.max/],
    ['object with two keys', { '==': [1, 1], extra: 1 }, 'EXPR_INVALID_LOGIC', /exactly one key/],
    ['empty object', {}, 'EXPR_INVALID_LOGIC', /exactly one key/],
    ['unknown root', { var: 'evnt.status' }, 'EXPR_UNKNOWN_NAME', /'evnt'/, /did you mean 'event'/],
    ['prototype path', { var: 'event.__proto__.x' }, 'EXPR_UNKNOWN_NAME', /__proto__/],
    ['bad regex', { matches: [{ var: 'event.x' }, '(['] }, 'EXPR_INVALID_LOGIC', /invalid regular expression/],
    ['computed regex', { matches: [{ var: 'event.x' }, { var: 'event.p' }] }, 'EXPR_INVALID_LOGIC', /string literal/],
    ['bad duration', { duration: 'soon' }, 'EXPR_INVALID_LOGIC', /not a duration/],
    ['arity of a language operation', { len: [1, 2] }, 'EXPR_INVALID_LOGIC', /takes 1 argument, got 2/],
  ];
  for (const [name, logic, code, message, hint] of invalid) {
    it(`refuses: ${name}`, () => {
      const r = compile(logic);
      expect(r.expr).toBeNull();
      expect(r.diagnostics[0]).toMatchObject({ code, location });
      expect(r.diagnostics[0]!.message).toMatch(message);
      if (hint) expect(r.diagnostics[0]!.hint).toMatch(hint);
    });
  }

  it('refuses logic nested deeper than the bound, without overflowing', () => {
    let deep: unknown = { var: 'event.x' };
    for (let i = 0; i < 10_000; i++) deep = { '!': [deep] };
    const r = compile(deep);
    expect(r.expr).toBeNull();
    expect(r.diagnostics[0]!.message).toMatch(/deeper than 64/);
  });

  it('accepts the standard json-logic operations', () => {
    const r = compile({
      if: [{ missing: ['event.a'] }, { cat: ['x', { substr: ['abc', 1] }] }, { reduce: [{ var: 'items' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }],
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.expr!.evaluate({ items: [1, 2] })).toBe('xbc');
    expect(r.expr!.evaluate({ event: { a: 1 }, items: [1, 2] })).toBe(3);
  });
});
