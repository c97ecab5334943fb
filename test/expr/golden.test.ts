/**
 * Golden JSON Logic: the compiler's stored output for a fixed set of expressions.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/expr/golden.test.ts` and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileExpression, compileTemplate } from '../../engine/expr/index.ts';

const inputs = parse(readFileSync(new URL('./golden/expressions.yaml', import.meta.url), 'utf8')) as { expressions: string[]; templates: string[] };
const goldenUrl = new URL('./golden/logic.json', import.meta.url);
const location = { file: 'golden.yaml', line: 1, column: 1 };

function compileAll(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { expressions: {}, templates: {} };
  for (const e of inputs.expressions) {
    const r = compileExpression(e, { roots: 'any', location });
    out['expressions']![e] = r.expr?.logic ?? { diagnostics: r.diagnostics };
  }
  for (const t of inputs.templates) {
    const r = compileTemplate(t, { roots: 'any', location });
    out['templates']![t] = r.expr?.logic ?? { diagnostics: r.diagnostics };
  }
  return out;
}

describe('golden JSON Logic', () => {
  const actual = compileAll();
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(goldenUrl)) {
    writeFileSync(goldenUrl, `${JSON.stringify(actual, null, 2)}\n`);
  }
  const golden = JSON.parse(readFileSync(goldenUrl, 'utf8')) as typeof actual;

  it('covers every input', () => {
    expect(Object.keys(golden['expressions']!).sort()).toEqual([...inputs.expressions].sort());
    expect(Object.keys(golden['templates']!).sort()).toEqual([...inputs.templates].sort());
  });
  for (const kind of ['expressions', 'templates'] as const) {
    for (const source of Object.keys(actual[kind]!)) {
      it(`${kind}: ${source}`, () => expect(actual[kind]![source]).toEqual(golden[kind]![source]));
    }
  }
  it('pins the consensus row exactly', () => {
    expect(golden['expressions']!["diagnosis.confidence >= 0.8 and validation.agreement == 'AGREE' and validation.score >= 0.8"]).toEqual({
      and: [
        { '>=': [{ var: 'diagnosis.confidence' }, 0.8] },
        { '===': [{ var: 'validation.agreement' }, 'AGREE'] },
        { '>=': [{ var: 'validation.score' }, 0.8] },
      ],
    });
  });
});
