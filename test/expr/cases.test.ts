import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileExpression, compileTemplate, evaluateLogic, type CompileResult } from '../../engine/expr/index.ts';

interface Case {
  expr?: string;
  template?: string;
  data?: Record<string, unknown>;
  want: unknown;
}

const cases = parse(readFileSync(new URL('./cases.yaml', import.meta.url), 'utf8')) as Case[];
const location = { file: 'cases.yaml', line: 1, column: 1 };

describe('expression cases (closure and json-logic-js agree with the table)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(150));

  for (const c of cases) {
    const source = c.expr ?? c.template ?? '';
    it(`${c.expr !== undefined ? 'expr' : 'template'}: ${source.replace(/\n/g, '⏎')}`, () => {
      const r: CompileResult =
        c.expr !== undefined ? compileExpression(c.expr, { roots: 'any', location }) : compileTemplate(source, { roots: 'any', location });
      expect(r.diagnostics).toEqual([]);
      const data = c.data ?? {};
      expect(r.expr!.evaluate(data)).toEqual(c.want);
      expect(evaluateLogic(r.expr!.logic, data)).toEqual(c.want);
    });
  }
});
