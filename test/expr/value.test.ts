/** compileValue: a step's `with:` block, every string a template, the rest data. */
import { describe, expect, it } from 'vitest';
import { compileValue, evaluateLogic } from '../../engine/expr/index.ts';

const roots = new Set(['event', 'memory']);
const locate = (path: (string | number)[]) => ({ file: 'pb.yaml', line: 20 + path.length, column: 3 + String(path.at(-1) ?? '').length });

describe('compileValue', () => {
  const input = {
    text: '${event.service} ${event.message}',
    top: 3,
    intent: 'collect_logs',
    target: '${event.service}',
    count: '${memory.hits}',
    tags: ['fixed', '${event.host}', { nested: '${event.service}!' }],
    empty: {},
    flag: true,
    nothing: null,
  };
  const r = compileValue(input, { roots, locate });

  it('compiles without diagnostics and reports every ref once', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.expr!.refs).toEqual([
      { root: 'event', path: ['service'] },
      { root: 'event', path: ['message'] },
      { root: 'memory', path: ['hits'] },
      { root: 'event', path: ['host'] },
    ]);
  });

  it('renders the whole value, keeping the types of single interpolations', () => {
    const scope = { event: { service: 'nginx', message: 'down', host: 'web1' }, memory: { hits: 4 } };
    const want = {
      text: 'nginx down',
      top: 3,
      intent: 'collect_logs',
      target: 'nginx',
      count: 4,
      tags: ['fixed', 'web1', { nested: 'nginx!' }],
      empty: {},
      flag: true,
      nothing: null,
    };
    expect(r.expr!.evaluate(scope)).toEqual(want);
    // The stored form is JSON Logic the oracle evaluates the same way.
    expect(evaluateLogic(r.expr!.logic, scope)).toEqual(want);
    expect(JSON.parse(JSON.stringify(r.expr!.logic))).toEqual(r.expr!.logic);
  });

  it('treats one-key objects as data, not operations', () => {
    const v = compileValue({ var: 'not an operation' }, { roots, locate });
    expect(v.expr!.evaluate({})).toEqual({ var: 'not an operation' });
  });

  it('keeps a __proto__ key as plain data', () => {
    const v = compileValue(JSON.parse('{"__proto__": {"polluted": 1}}'), { roots, locate });
    const out = v.expr!.evaluate({}) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('locates a nested string problem with locate(path) and the offset inside the string', () => {
    const v = compileValue({ a: [{ b: 'x ${evnt.y}' }] }, { roots, locate });
    expect(v.expr).toBeNull();
    expect(v.diagnostics).toHaveLength(1);
    // locate(['a', 0, 'b']) → line 23, column 4; '${' content starts 4 characters in.
    expect(v.diagnostics[0]).toMatchObject({ code: 'EXPR_UNKNOWN_NAME', location: { file: 'pb.yaml', line: 23, column: 8 } });
  });

  it('collects problems from every string', () => {
    const v = compileValue({ a: '${bogus(1)}', b: ['${event.x ==}'] }, { roots, locate });
    expect(v.diagnostics.map((d) => d.code)).toEqual(['EXPR_UNKNOWN_FUNCTION', 'EXPR_SYNTAX']);
  });

  it('compiles plain scalars', () => {
    expect(compileValue(5, { roots, locate }).expr!.evaluate({})).toBe(5);
    expect(compileValue('${event.n}', { roots, locate }).expr!.evaluate({ event: { n: 2 } })).toBe(2);
  });
});
