/**
 * The closure compiler against json-logic-js on JSON Logic directly: hand-picked rules
 * where the semantics are subtle, then random rules over every operation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileClosure } from '../../engine/expr/closure.ts';
import { evaluateLogic } from '../../engine/expr/index.ts';
import { JSON_LOGIC_OPERATIONS } from '../../engine/expr/logic-check.ts';
import { OPERATIONS } from '../../engine/expr/operations.ts';

type Outcome = { value: unknown } | { threw: true };
function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch {
    return { threw: true };
  }
}

function same(logic: unknown, data: Record<string, unknown>): void {
  const oracle = outcome(() => evaluateLogic(logic, data));
  expect(outcome(() => compileClosure(logic)(data)), JSON.stringify(logic)).toEqual(oracle);
}

const data = { a: 1, b: '2', e: [], z: 0, s: 'nginx', l: [1, 2, 'x'], o: { x: { y: 5 } }, n: null, $now: 10_000 };

const RULES: Array<[string, unknown, unknown]> = [
  ['and returns the first falsy', { and: [1, { var: 'e' }, 3] }, []],
  ['and returns the last', { and: [1, 2, 3] }, 3],
  ['and of nothing', { and: [] }, undefined],
  ['or returns the first truthy', { or: [0, '', { var: 's' }] }, 'nginx'],
  ['or of all falsy returns the last', { or: [0, [], null] }, null],
  ['if/else-if/else', { if: [false, 1, { var: 'z' }, 2, 3] }, 3],
  ['if with no else', { if: [false, 1] }, null],
  ['if with one argument', { if: [5] }, 5],
  ['if with nothing', { if: [] }, null],
  ['?: alias', { '?:': [true, 'y', 'n'] }, 'y'],
  ['! of []', { '!': [[]] }, true],
  ['!! of [0]', { '!!': [[0]] }, true],
  ['loose ==', { '==': [1, '1'] }, true],
  ['strict ===', { '===': [1, '1'] }, false],
  ['between with <', { '<': [1, { var: 'a' }, 3] }, false],
  ['between with <=', { '<=': [1, { var: 'a' }, 3] }, true],
  ['unary minus', { '-': [{ var: 'a' }] }, -1],
  ['+ casts strings', { '+': ['1', { var: 'b' }] }, 3],
  ['+ of one argument casts', { '+': ['3.5'] }, 3.5],
  ['+ of nothing', { '+': [] }, 0],
  ['* of one argument does not cast', { '*': ['3'] }, '3'],
  ['* of nothing throws in json-logic-js', { '*': [] }, 'throws'],
  ['cat of null and lists', { cat: ['a', null, [1, 2], 3] }, 'a1,23'],
  ['merge', { merge: [1, [2, 3], [[4]]] }, [1, 2, 3, [4]]],
  ['min/max', { max: [1, { var: 'a' }, 7] }, 7],
  ['in a string', { in: ['gin', { var: 's' }] }, true],
  ['in null', { in: ['x', null] }, false],
  ['in a list', { in: ['x', { var: 'l' }] }, true],
  ['var with default', { var: ['missing', 'dflt'] }, 'dflt'],
  ['var with null found', { var: ['n', 'dflt'] }, null],
  ['var "" is the data', { var: '' }, data],
  ['var of a number path', { var: 0 }, null],
  ['var deep', { var: 'o.x.y' }, 5],
  ['var through a string', { var: 's.length' }, 5],
  ['var with a computed path', { var: { cat: ['o.', 'x'] } }, { y: 5 }],
  ['missing', { missing: ['a', 'nope', 'n'] }, ['nope', 'n']],
  ['missing_some', { missing_some: [1, ['a', 'nope']] }, []],
  ['map (fallback)', { map: [{ var: 'l' }, { cat: [{ var: '' }, '!'] }] }, ['1!', '2!', 'x!']],
  ['filter (fallback)', { filter: [[1, 2, 3], { '>': [{ var: '' }, 1] }] }, [2, 3]],
  ['reduce (fallback)', { reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, 6],
  ['all/some/none', { and: [{ all: [[1], { var: '' }] }, { some: [[0, 1], { var: '' }] }, { none: [[0], { var: '' }] }] }, true],
  ['substr', { substr: ['nginx', -3] }, 'inx'],
  ['custom ops inside a fallback', { map: [['A', 'b'], { lower: [{ var: '' }] }] }, ['a', 'b']],
  ['now reads $now', { now: [] }, 10_000],
  ['age of epoch ms', { age: [4_000] }, 6_000],
  ['duration', { duration: '1h30m' }, 5_400_000],
  ['duration computed', { duration: [{ cat: ['2', 'm'] }] }, 120_000],
  ['matches', { matches: [{ var: 's' }, '^ng'] }, true],
  ['matches a computed pattern', { matches: [{ var: 's' }, { cat: ['^', 'ng'] }] }, true],
  ['object', { object: [['k', { var: 'a' }], ['l', [1, { var: 'b' }]]] }, { k: 1, l: [1, '2'] }],
  ['non-logic object is a literal', { a: 1, b: 2 }, { a: 1, b: 2 }],
  ['arrays are evaluated item by item', [{ var: 'a' }, [{ var: 'b' }]], [1, ['2']]],
];

describe('closure compiler: subtle json-logic-js semantics', () => {
  for (const [name, logic, want] of RULES) {
    it(name, () => {
      same(logic, data);
      if (want === 'throws') expect(() => compileClosure(logic)(data)).toThrow();
      else expect(compileClosure(logic)(data)).toEqual(want);
    });
  }

  it('keeps the clock from the scope, not the wall', () => {
    expect(compileClosure({ now: [] })({})).toBeNull();
    expect(compileClosure({ age: ['1970-01-01T00:00:01Z'] })({ $now: 3000 })).toBe(2000);
  });
});

const OPS = [...JSON_LOGIC_OPERATIONS, ...Object.keys(OPERATIONS)];
const KEYS = ['a', 'b', 'e', 'z', 's', 'l', 'o', 'o.x', 'o.x.y', 'n', 'l.0', '', 'missing'];
const constant = fc.constantFrom<unknown>(0, -0, 1, 2.5, -1, '', '0', '1', 'a', 'nginx', '^n', '20m', true, false, null, [], [0], {}, Number.NaN);

const rule: fc.Arbitrary<unknown> = fc.letrec<{ r: unknown }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    { arbitrary: constant, weight: 3 },
    { arbitrary: fc.constantFrom(...KEYS).map((k) => ({ var: k })), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...KEYS), constant).map(([k, d]) => ({ var: [k, d] })), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...OPS), fc.array(tie('r'), { maxLength: 4 })).map(([op, args]) => ({ [op]: args })), weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...OPS), tie('r')).map(([op, arg]) => ({ [op]: arg })), weight: 1 },
    { arbitrary: fc.array(tie('r'), { maxLength: 3 }), weight: 1 },
  ),
})).r;

const scope = fc.record({
  a: fc.constantFrom<unknown>(1, 0, [], '', 'a', null),
  b: fc.constantFrom<unknown>('2', [], 3, true),
  e: fc.constantFrom<unknown>([], {}, [[]]),
  z: fc.constantFrom<unknown>(0, -0, Number.NaN, false),
  s: fc.constantFrom<unknown>('nginx', '', '10'),
  l: fc.constantFrom<unknown>([1, 2, 'x'], []),
  o: fc.constantFrom<unknown>({ x: { y: 5 } }, { x: null }, {}),
  n: fc.constant(null),
  $now: fc.constantFrom<unknown>(10_000, undefined),
});

describe('closure compiler: random JSON Logic over every operation', () => {
  it('evaluates exactly as json-logic-js, including when it throws', () => {
    fc.assert(
      fc.property(rule, fc.array(scope, { minLength: 1, maxLength: 3 }), (logic, scopes) => {
        for (const s of scopes) same(logic, s);
      }),
      { numRuns: 3000 },
    );
  });
});
