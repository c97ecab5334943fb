/** Located diagnostics: every problem names a code, a line and a column in the YAML file. */
import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate } from '../../engine/expr/index.ts';

// The expression's first character sits at line 10, column 7 of the playbook.
const location = { file: 'pb.yaml', line: 10, column: 7 };
const roots = new Set(['event', 'memory', 'diagnosis', 'validation', 'item']);

interface Want {
  code: string;
  line?: number;
  column: number;
  message?: RegExp;
  hint?: RegExp;
}

interface Row {
  name: string;
  src: string;
  template?: boolean;
  want: Want[];
}

const rows: Row[] = [
  { name: 'operator without a right side', src: 'event.x ==', want: [{ code: 'EXPR_SYNTAX', column: 17, message: /end of the expression/ }] },
  { name: 'unclosed parenthesis', src: '(event.x', want: [{ code: 'EXPR_SYNTAX', column: 15, message: /expected '\)'/ }] },
  { name: 'two operands in a row', src: 'event.a event.b', want: [{ code: 'EXPR_SYNTAX', column: 15, message: /unexpected 'event'/ }] },
  { name: 'single =', src: 'event.a = 1', want: [{ code: 'EXPR_SYNTAX', column: 15, hint: /==/ }] },
  { name: '&& from other languages', src: 'event.a && event.b', want: [{ code: 'EXPR_SYNTAX', column: 15, hint: /and/ }] },
  { name: 'unterminated string', src: 'event.a == "abc', want: [{ code: 'EXPR_SYNTAX', column: 18, message: /unterminated string/ }] },
  { name: 'chained comparison', src: 'event.a < event.b < event.c', want: [{ code: 'EXPR_SYNTAX', column: 25, hint: /do not chain/ }] },
  { name: 'empty expression', src: '   ', want: [{ code: 'EXPR_SYNTAX', column: 7, message: /empty/ }] },
  { name: 'path after a dot must be a name', src: 'event.0', want: [{ code: 'EXPR_SYNTAX', column: 13, message: /expected a name but found '0'/ }] },
  { name: 'unknown root name', src: 'evnt.status == "down"', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 7, message: /'evnt'/, hint: /did you mean 'event'/ }] },
  { name: 'swapped letters', src: 'event.x and memroy.best', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 19, hint: /did you mean 'memory'/ }] },
  { name: 'far from anything', src: 'zzzzzz > 1', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 7, hint: /known names: 'diagnosis', 'event'/ }] },
  { name: 'function used as a name', src: 'now > 1', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 7, hint: /now\(\)/ }] },
  { name: 'two unknown names', src: 'a == b', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 7 }, { code: 'EXPR_UNKNOWN_NAME', column: 12 }] },
  { name: 'prototype access', src: 'event.__proto__', want: [{ code: 'EXPR_UNKNOWN_NAME', column: 7, message: /__proto__/ }] },
  { name: 'unknown function', src: 'event.x and lenn(event.tags) > 0', want: [{ code: 'EXPR_UNKNOWN_FUNCTION', column: 19, hint: /did you mean 'len'/ }] },
  { name: 'unknown function far from all', src: 'frobnicate(1)', want: [{ code: 'EXPR_UNKNOWN_FUNCTION', column: 7, hint: /known functions/ }] },
  { name: 'wrong arity', src: 'len(event.a, event.b)', want: [{ code: 'EXPR_TYPE', column: 7, message: /takes 1 argument, got 2/ }] },
  { name: 'now takes nothing', src: 'now(1)', want: [{ code: 'EXPR_TYPE', column: 7, message: /takes 0 arguments/ }] },
  { name: 'bad regex', src: 'event.message matches "([a-z]"', want: [{ code: 'EXPR_SYNTAX', column: 29, message: /invalid regular expression/ }] },
  { name: 'regex not a literal', src: 'event.message matches event.pattern', want: [{ code: 'EXPR_SYNTAX', column: 29, message: /string literal/ }] },
  { name: 'string vs number', src: '"a" > 3', want: [{ code: 'EXPR_TYPE', column: 11, message: /string with a number/ }] },
  { name: 'duration vs string', src: '20m == "20m"', want: [{ code: 'EXPR_TYPE', column: 11, message: /duration with a string/ }] },
  { name: 'number vs boolean', src: 'len(event.x) == true', want: [{ code: 'EXPR_TYPE', column: 20 }] },
  { name: 'list equality', src: 'event.tags == ["a"]', want: [{ code: 'EXPR_TYPE', column: 18, hint: /in/ }] },
  { name: 'in a number', src: 'event.x in 3', want: [{ code: 'EXPR_TYPE', column: 15 }] },
  { name: 'arithmetic on a string', src: 'event.x + "s"', want: [{ code: 'EXPR_TYPE', column: 17, hint: /template/ }] },
  { name: 'negating a string', src: '-"a"', want: [{ code: 'EXPR_TYPE', column: 7 }] },
  { name: 'text function on a number', src: 'lower(3)', want: [{ code: 'EXPR_TYPE', column: 13 }] },
  { name: 'bad duration order', src: 'event.age > 30m1h', want: [{ code: 'EXPR_SYNTAX', column: 19, message: /invalid duration/ }] },
  { name: 'duration() of a non-duration', src: 'duration("soon")', want: [{ code: 'EXPR_TYPE', column: 16, message: /not a duration/ }] },
  { name: 'fractional index', src: 'event.tags[1.5]', want: [{ code: 'EXPR_SYNTAX', column: 18 }] },
  { name: 'boolean index', src: 'event.tags[true]', want: [{ code: 'EXPR_SYNTAX', column: 18, message: /number or a string/ }] },
  { name: 'fractional index', src: 'event.labels[1.5]', want: [{ code: 'EXPR_SYNTAX', column: 20, message: /whole number/ }] },
  {
    name: 'multi-line: later line keeps the block indent',
    src: 'event.status == "down"\n  and bogus(1)',
    want: [{ code: 'EXPR_UNKNOWN_FUNCTION', line: 11, column: 13 }],
  },
  {
    name: 'multi-line: third line',
    src: 'event.a\nand event.b\nand evnt.c',
    want: [{ code: 'EXPR_UNKNOWN_NAME', line: 12, column: 11 }],
  },
  { name: 'multi-line syntax error', src: 'event.a and\n(event.b or', want: [{ code: 'EXPR_SYNTAX', line: 11, column: 18 }] },
  { name: 'template: unknown name inside ${}', src: 'restart ${evnt.service}', template: true, want: [{ code: 'EXPR_UNKNOWN_NAME', column: 17 }] },
  { name: 'template: unclosed ${', src: 'restart ${event.service', template: true, want: [{ code: 'EXPR_SYNTAX', column: 15, hint: /\$\$\{/ }] },
  { name: 'template: empty ${}', src: 'a ${} b', template: true, want: [{ code: 'EXPR_SYNTAX', column: 11, message: /empty/ }] },
  { name: 'template: second line', src: 'line one\n  ${bogus(1)}', template: true, want: [{ code: 'EXPR_UNKNOWN_FUNCTION', line: 11, column: 11 }] },
  {
    name: 'template: two problems',
    src: '${evnt.a} and ${event.b +}',
    template: true,
    want: [{ code: 'EXPR_UNKNOWN_NAME', column: 9 }, { code: 'EXPR_SYNTAX', column: 32 }],
  },
];

describe('located diagnostics', () => {
  for (const row of rows) {
    it(row.name, () => {
      const options = { roots, location };
      const r = row.template ? compileTemplate(row.src, options) : compileExpression(row.src, options);
      expect(r.expr).toBeNull();
      const got = r.diagnostics.map((d) => ({ code: d.code, line: d.location.line, column: d.location.column }));
      expect(got).toEqual(row.want.map((w) => ({ code: w.code, line: w.line ?? 10, column: w.column })));
      row.want.forEach((w, i) => {
        const d = r.diagnostics[i]!;
        expect(d.location.file).toBe('pb.yaml');
        expect(d.severity).toBe('error');
        if (w.message) expect(d.message).toMatch(w.message);
        if (w.hint) expect(d.hint).toMatch(w.hint);
      });
    });
  }
});

describe('bounds', () => {
  const options = { roots: 'any' as const, location };

  it('rejects an expression longer than 4096 characters', () => {
    const r = compileExpression('a'.repeat(5000), options);
    expect(r.diagnostics.map((d) => [d.code, d.location.column])).toEqual([['EXPR_SYNTAX', 7]]);
    expect(r.diagnostics[0]!.message).toMatch(/4096/);
  });

  it('rejects nesting deeper than 64 at the bracket that goes too deep', () => {
    const r = compileExpression(`${'('.repeat(100)}a${')'.repeat(100)}`, options);
    expect(r.diagnostics.map((d) => [d.code, d.location.column])).toEqual([['EXPR_SYNTAX', 7 + 64]]);
    expect(r.diagnostics[0]!.message).toMatch(/deeper than 64/);
  });

  it('accepts nesting of 64', () => {
    const r = compileExpression(`${'('.repeat(64)}a${')'.repeat(64)}`, options);
    expect(r.diagnostics).toEqual([]);
  });

  it.each([
    ['not ', 1000],
    ['-', 4000],
    ['[', 2000],
    ['f(', 1500],
    ['- (', 1000],
  ])('survives a long run of %j', (prefix, n) => {
    const r = compileExpression(`${prefix.repeat(n)}1`, options);
    expect(r.expr).toBeNull();
    expect(r.diagnostics[0]!.code).toBe('EXPR_SYNTAX');
  });

  it('rejects a long left-nested chain instead of compiling a huge tree', () => {
    const r = compileExpression(Array.from({ length: 1000 }, () => 'a').join(' + '), options);
    expect(r.expr).toBeNull();
    expect(r.diagnostics[0]!.message).toMatch(/deeper than 64/);
  });

  it('flattens long and-chains, so they are not deep', () => {
    const r = compileExpression(Array.from({ length: 300 }, (_, i) => `a${i}`).join(' and '), options);
    expect(r.diagnostics).toEqual([]);
    expect((r.expr!.logic as { and: unknown[] }).and).toHaveLength(300);
  });
});
