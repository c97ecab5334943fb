/** The string, number, list, object, regex and time functions: values, nulls, load-time errors, bounds. */
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateLogic } from '../../engine/expr/index.ts';
import { pyRound } from '../../engine/expr/round.ts';

const location = { file: 'pb.yaml', line: 10, column: 7 };
const roots = new Set(['event', 'memory']);

function compile(src: string) {
  return compileExpression(src, { roots, location });
}

/** Both evaluators (closures and json-logic-js) must agree. */
function run(src: string, scope: Record<string, unknown> = {}): unknown {
  const { expr, diagnostics } = compile(src);
  expect(diagnostics).toEqual([]);
  const fast = expr!.evaluate(scope);
  expect(evaluateLogic(expr!.logic, scope)).toEqual(fast);
  return fast;
}

function problems(src: string): { code: string; at: string; message: string }[] {
  return compile(src).diagnostics.map((d) => ({ code: d.code, at: `${d.location.file}:${d.location.line}:${d.location.column}`, message: d.message }));
}

const event = {
  text: '#DIAG gw=ok int=fail dns=ok ping=45ms',
  device: 'sw-core-01',
  ts: '2026-03-29T00:30:00Z',
  tags: ['a', 'b'],
  scores: [0.5, 0.25, 1],
  meta: { a: 1, b: 2, c: 3 },
};

// Computed with CPython 3: python3 -c 'print(round(x, n))' for each row.
const PYTHON_ROUND: [number, number, number][] = [[0.125, 2, 0.12], [0.375, 2, 0.38], [2.675, 2, 2.67], [0.5, 0, 0.0], [1.5, 0, 2.0], [2.5, 0, 2.0], [-2.5, 0, -2.0], [-0.5, 0, -0.0], [1234.5678, -2, 1200.0], [1250.0, -2, 1200.0], [1350.0, -2, 1400.0], [0.30000000000000004, 15, 0.3], [0.4444444, 3, 0.444], [72.5, 0, 72.0], [0.845, 2, 0.84], [3.14159, 4, 3.1416], [-1.005, 2, -1.0], [123.456, 1, 123.5], [1.0000000000000002, 15, 1.0], [0.285, 2, 0.28], [1.125, 2, 1.12], [1e+22, -21, 1e+22], [7.5e-07, 6, 1e-06], [0.6666666666666666, 2, 0.67]];

describe('round: Python 3 semantics', () => {
  it.each(PYTHON_ROUND)('round(%s, %s) == %s', (x, n, want) => {
    expect(pyRound(x, n)).toBe(want);
    expect(run(`round(${x}, ${n})`)).toBe(want);
  });
  it('defaults to 0 digits; null on a non-number', () => {
    expect(run('round(2.5)')).toBe(2);
    expect(run('round(3.5)')).toBe(4);
    expect(run('round(event.missing, 2)', { event })).toBeNull();
  });
  it('quality_score of seed 004', () => {
    expect(run('round(0.4 * 0.9 + 0.35 * 0.625 + 0.25 * 0.5, 2)')).toBe(0.7);
  });
});

describe('conditional and text building', () => {
  it('if() evaluates only the chosen side', () => {
    expect(run('if(event.ping > 40, "slow", "fast")', { event: { ping: 45 } })).toBe('slow');
    expect(run('if(event.missing, "yes", "no")', { event })).toBe('no');
  });
  it('concat, string, number', () => {
    expect(run('concat("observium_diag_", event.device, "_", format_time(event.ts, "YYYYMMDD", "Europe/Paris"))', { event })).toBe('observium_diag_sw-core-01_20260329');
    expect(run('concat("n=", 3, " ", null, true)')).toBe('n=3 true');
    expect(run('string(event.tags)', { event })).toBe('["a","b"]');
    expect(run('string(null)')).toBe('');
    expect(run('number(" 45 ")')).toBe(45);
    expect(run('number("1e3")')).toBe(1000);
    expect(run('number("45ms")')).toBeNull();
    expect(run('number(event.missing)', { event })).toBeNull();
  });
  it('substr, split, trim, lower, upper, replace', () => {
    expect(run('substr("ALT-2026", 4)')).toBe('2026');
    expect(run('substr("ALT-2026", 0, 3)')).toBe('ALT');
    expect(run('substr("ALT-2026", -4)')).toBe('2026');
    expect(run('substr("ALT-2026", 1, -1)')).toBe('LT-202');
    expect(run('substr(event.missing, 1)', { event })).toBeNull();
    expect(run('split(event.text, " ")', { event })).toEqual(['#DIAG', 'gw=ok', 'int=fail', 'dns=ok', 'ping=45ms']);
    expect(run('split(event.missing, " ")', { event })).toBeNull();
    expect(run('trim("  x ")')).toBe('x');
    expect(run('upper(lower("AbC"))')).toBe('ABC');
    expect(run('replace("a.b.c", ".", "_")')).toBe('a_b_c');
    expect(run('replace("a+b", "+", "$&")')).toBe('a$&b');
  });
});

describe('regex (RE2, linear time)', () => {
  it('match returns groups by number, or named groups', () => {
    expect(run('match(event.text, "ping=(\\d+)ms")', { event })).toEqual(['ping=45ms', '45']);
    expect(run('match(event.text, "gw=(?P<gw>\\w+) int=(?P<int>\\w+) dns=(?P<dns>\\w+) ping=(?P<ping>\\d+)ms")', { event })).toEqual({
      gw: 'ok',
      int: 'fail',
      dns: 'ok',
      ping: '45',
    });
    expect(run('match(event.text, "(x)?gw")', { event })).toEqual(['gw', null]);
    expect(run('match(event.text, "^nope")', { event })).toBeNull();
    expect(run('match(event.missing, "a")', { event })).toBeNull();
    expect(run('event.text matches "(?i)^#diag"', { event })).toBe(true);
  });
  it('a catastrophic backtracking pattern returns on 50k characters', () => {
    const text = `${'a'.repeat(50_000)}b`;
    expect(run('event.text matches "(a+)+$"', { event: { text } })).toBe(false);
    expect(run('match(event.text, "(a+)+$")', { event: { text } })).toBeNull();
  });
  it('backreferences and lookaround are refused at load, located', () => {
    expect(problems('event.text matches "(a)\\1"')).toEqual([{ code: 'EXPR_SYNTAX', at: 'pb.yaml:10:26', message: expect.stringMatching(/invalid regular expression/) }]);
    expect(problems('match(event.text, "(?=a)")')).toEqual([{ code: 'EXPR_SYNTAX', at: 'pb.yaml:10:25', message: expect.stringMatching(/invalid regular expression/) }]);
    expect(problems('match(event.text, event.p)')[0]).toMatchObject({ code: 'EXPR_SYNTAX', at: 'pb.yaml:10:25', message: expect.stringMatching(/pattern of match\(\) must be a string literal/) });
  });
});

describe('lists and objects', () => {
  it('keys, values, merge, omit, count, sum, min, max', () => {
    expect(run('keys(event.meta)', { event })).toEqual(['a', 'b', 'c']);
    expect(run('values(event.meta)', { event })).toEqual([1, 2, 3]);
    expect(run('merge(event.meta, memory.extra)', { event, memory: { extra: { c: 9, d: 4 } } })).toEqual({ a: 1, b: 2, c: 9, d: 4 });
    expect(run('omit(event.meta, "a", "c")', { event })).toEqual({ b: 2 });
    expect(run('omit(event.meta, ["a", "b"])', { event })).toEqual({ c: 3 });
    expect(run('count(event.tags)', { event })).toBe(2);
    expect(run('sum(event.scores)', { event })).toBe(1.75);
    expect(run('max(1, 5, 3)')).toBe(5);
    expect(run('keys(event.missing)', { event })).toBeNull();
    expect(run('count(event.missing)', { event })).toBeNull();
    expect(run('sum(event.tags)', { event })).toBeNull();
    expect(run('omit(null, "a")')).toBeNull();
  });
});

describe('format_time', () => {
  it('writes an instant in a time zone', () => {
    const ts = Date.UTC(2026, 6, 14, 22, 5, 9, 7);
    expect(run('format_time(event.ts, "YYYY-MM-DD HH:mm:ss.SSS", "Europe/Paris")', { event: { ts } })).toBe('2026-07-15 00:05:09.007');
    expect(run('format_time(event.ts, "YYYY-MM-DD[T]HH:mm")', { event: { ts } })).toBe('2026-07-14T22:05');
    expect(run('format_time("2026-01-01T00:00:00Z", "DD/MM/YYYY HH", "America/New_York")')).toBe('31/12/2025 19');
    expect(run('format_time(now(), "YYYY")', { $now: ts })).toBe('2026');
    expect(run('format_time(event.missing, "YYYY")', { event })).toBeNull();
    expect(run('format_time("not a date", "YYYY")')).toBeNull();
  });
  it('an unknown zone is a located error', () => {
    expect(problems('format_time(event.ts, "YYYY", "Europe/Pariss")')).toEqual([{ code: 'EXPR_TYPE', at: 'pb.yaml:10:37', message: "unknown time zone 'Europe/Pariss'" }]);
  });
});

describe('load-time checks', () => {
  it('arity and argument kinds, located', () => {
    expect(problems('if(event.x, 1)')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:7', message: 'if() takes 3 arguments, got 2' });
    expect(problems('round("x", 2)')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:13', message: 'round() does not take a string' });
    expect(problems('split(3, ",")')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:13', message: 'split() does not take a number' });
    expect(problems('count("abc")')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:13', message: 'count() does not take a string' });
    expect(problems('number([1])')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:14', message: 'number() does not take a list' });
    expect(problems('"a" + event.x')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:7' });
  });
});

describe('bounds', () => {
  it('a built string longer than 100000 characters, or more than 10000 parts, is null', () => {
    const big = 'x'.repeat(60_000);
    expect(run('concat(event.a, event.a)', { event: { a: big } })).toBeNull();
    expect(run('replace(event.a, "x", "yy")', { event: { a: big } })).toBeNull();
    expect(run('string(event.a)', { event: { a: [big, big] } })).toBeNull();
    expect(run('split(event.a, "")', { event: { a: big } })).toBeNull();
    expect(run('count(split(event.a, ","))', { event: { a: 'a,'.repeat(9_000) } })).toBe(9_001);
  });
});

describe('computed index a[b]', () => {
  const scope = { event: { device: 'sw1', list: [10, 20, 30], 'a.b': 1 }, memory: { by_device: { sw1: { state: 'up' } }, i: 2 } };
  it('reads a key or an item chosen by an expression', () => {
    expect(run('memory.by_device[event.device].state', scope)).toBe('up');
    expect(run('event.list[memory.i]', scope)).toBe(30);
    expect(run('event.list[memory.i - 3]', scope)).toBe(30);
    expect(run('event.list[0]', scope)).toBe(10);
    expect(run('event["a.b"]', scope)).toBe(1);
    expect(run('memory.by_device[event.missing]', scope)).toBeNull();
    expect(run('memory.by_device[event.device].nope.deeper', scope)).toBeNull();
    expect(compile('memory.by_device[event.device].state').expr!.logic).toEqual({ get: [{ get: [{ var: 'memory.by_device' }, { var: 'event.device' }] }, 'state'] });
  });
  it('never reaches a prototype', () => {
    expect(run('event[memory.k]', { event: {}, memory: { k: '__proto__' } })).toBeNull();
    expect(run('event[memory.k]', { event: {}, memory: { k: 'toString' } })).toBeNull();
  });
  it('a boolean or list index is a located error', () => {
    expect(problems('event.list[true]')[0]).toMatchObject({ code: 'EXPR_SYNTAX', at: 'pb.yaml:10:18' });
    expect(problems('event.list[event.x == 1]')[0]).toMatchObject({ code: 'EXPR_TYPE', at: 'pb.yaml:10:26', message: 'an index must be a number or a string, not a boolean' });
  });
});

describe('filter, map, from_pairs, min/max of a list, Python split', () => {
  const rows = { event: { rows: [{ c: 'AUTRE', n: 2 }, { c: 'RESET_MDP', n: 1 }, { c: 'AUTRE', n: 5 }], nums: [3, -1, 7], text: '  #DIAG GW=ok  int=fail\tdns=ok ping=45ms  x ' } };
  it('filter and map read the current item as it', () => {
    expect(run('filter(event.rows, it.c == "AUTRE")', rows)).toEqual([{ c: 'AUTRE', n: 2 }, { c: 'AUTRE', n: 5 }]);
    expect(run('count(filter(event.rows, it.c == "AUTRE"))', rows)).toBe(2);
    expect(run('map(event.rows, it.n * 10)', rows)).toEqual([20, 10, 50]);
    expect(run('sum(map(filter(event.rows, it.c == "AUTRE"), it.n))', rows)).toBe(7);
    expect(run('map(event.nums, if(it > 0, "pos", "neg"))', rows)).toEqual(['pos', 'neg', 'pos']);
    expect(run('map(event.missing, it)', rows)).toEqual([]);
    expect(compile('filter(event.rows, it.c == "AUTRE")').expr!.logic).toEqual({ filter: [{ var: 'event.rows' }, { '===': [{ var: 'c' }, 'AUTRE'] }] });
    expect(compile('map(event.nums, it)').expr!.logic).toEqual({ map: [{ var: 'event.nums' }, { var: '' }] });
  });
  it("parses seed 004's #DIAG code exactly as parse_diag_code does", () => {
    // python3: {k.lower(): v.lower() for k, v in (p.split('=', 1) for p in m.group(1).split() if '=' in p)}
    const parse = 'from_pairs(map(filter(split(match(event.text, "#DIAG\\\\s+(.+)")[1]), contains(it, "=")), [lower(split(it, "=", 1)[0]), lower(split(it, "=", 1)[1])]))';
    expect(run(parse, rows)).toEqual({ gw: 'ok', int: 'fail', dns: 'ok', ping: '45ms' });
    expect(run(parse, { event: { text: '#DIAG gw=ok gw=FAIL a=b=c' } })).toEqual({ gw: 'fail', a: 'b=c' });
  });
  it('outer names, the clock and a non-list are load errors inside filter and map', () => {
    expect(problems('filter(event.rows, it.n > event.min)')[0]).toMatchObject({ code: 'EXPR_UNKNOWN_NAME', message: "inside filter() and map() only 'it' (the current item) can be read, not 'event'" });
    expect(problems('map(event.rows, now())')[0]).toMatchObject({ code: 'EXPR_TYPE' });
    expect(problems('map("abc", it)')[0]).toMatchObject({ code: 'EXPR_TYPE', message: 'map() takes a list first, not a string' });
    expect(problems('it.c == 1')[0]).toMatchObject({ code: 'EXPR_UNKNOWN_NAME', message: "unknown name 'it'" });
  });
  it('from_pairs: later keys win; a bad pair gives null', () => {
    expect(run('from_pairs([["a", 1], ["b", 2], ["a", 3]])')).toEqual({ a: 3, b: 2 });
    expect(run('from_pairs([["a", 1], ["b"]])')).toBeNull();
    expect(run('from_pairs(event.missing)', rows)).toBeNull();
  });
  it('min and max of a list', () => {
    expect(run('min(event.nums)', rows)).toBe(-1);
    expect(run('max(event.nums)', rows)).toBe(7);
    expect(run('max(map(event.rows, it.n))', rows)).toBe(5);
    expect(run('min(3, 1, 2)')).toBe(1);
    expect(run('max(event.missing)', rows)).toBeNull();
    expect(run('min([])')).toBeNull();
  });
  // Each row computed with CPython 3: python3 -c 'print("  a  b c ".split(None, 1))' and so on.
  const PY_SPLIT: [string, string | null, number, string[]][] = [
    ['  a  b c ', null, -1, ['a', 'b', 'c']],
    ['  a  b c ', null, 1, ['a', 'b c ']],
    ['  a  b c ', null, 0, ['a  b c ']],
    ['a b', null, 5, ['a', 'b']],
    ['   ', null, -1, []],
    ['', null, -1, []],
    ['k=v=w', '=', 1, ['k', 'v=w']],
    ['k=v=w', '=', -1, ['k', 'v', 'w']],
    ['k=v=w', '=', 0, ['k=v=w']],
    ['a,,b', ',', -1, ['a', '', 'b']],
    ['', ',', -1, ['']],
  ];
  it.each(PY_SPLIT)('split(%j, %j, %j) is Python\'s', (s, sep, max, want) => {
    expect(run('split(event.s, event.sep, event.max)', { event: { s, sep, max } })).toEqual(want);
  });
  it('len and substr count code points, as Python does', () => {
    expect(run('len(event.s)', { event: { s: 'ok 👍' } })).toBe(4);
    expect(run('substr(event.s, 3)', { event: { s: 'ok 👍!' } })).toBe('👍!');
    expect(run('substr(event.s, -2, 1)', { event: { s: 'ok 👍!' } })).toBe('👍');
  });
});
