/**
 * The expression evaluator's speed on the consensus row: the compiled closure against
 * json-logic-js `apply` on the same rule and against a hand-written closure (the ceiling).
 * Each task evaluates a batch, so the timer's own cost does not swamp a ~20 ns call.
 */
import { Bench } from 'tinybench';
import { compileExpression, evaluateLogic } from '../engine/expr/index.ts';
import type { BenchRow } from './report.ts';

const CONSENSUS = "diagnosis.confidence >= 0.8 and validation.agreement == 'AGREE' and validation.score >= 0.8";
const BATCH = 1000;

/** Varied scopes so no branch is always taken. */
function scopes(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 16; i++) {
    out.push({
      $now: 1_700_000_000_000,
      diagnosis: { confidence: 0.5 + (i % 5) * 0.1 },
      validation: { agreement: i % 3 === 0 ? 'PARTIAL' : 'AGREE', score: 0.6 + (i % 4) * 0.1 },
    });
  }
  return out;
}

export async function benchExpr(options: { time?: number } = {}): Promise<BenchRow[]> {
  const compiled = compileExpression(CONSENSUS, { roots: 'any', location: { file: 'bench', line: 1, column: 1 } });
  const expr = compiled.expr;
  if (expr === null) throw new Error(`the consensus row does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const data = scopes();
  const byHand = (s: Record<string, unknown>): boolean => {
    const d = s['diagnosis'] as { confidence?: number } | undefined;
    const v = s['validation'] as { agreement?: string; score?: number } | undefined;
    return (d?.confidence ?? 0) >= 0.8 && v?.agreement === 'AGREE' && (v?.score ?? 0) >= 0.8;
  };
  let sink = 0;
  const batch = (f: (s: Record<string, unknown>) => unknown) => () => {
    for (let i = 0; i < BATCH; i++) if (f(data[i & 15]!)) sink++;
  };

  const bench = new Bench({ time: options.time ?? 500, warmupTime: 100 });
  bench
    .add('expr: compiled closure', batch((s) => expr.evaluate(s)))
    .add('expr: json-logic-js apply', batch((s) => evaluateLogic(expr.logic, s)))
    .add('expr: hand-written closure', batch(byHand));
  await bench.run();

  const rate = (name: string): number => {
    const task = bench.tasks.find((t) => t.name === name);
    const result = task?.result;
    return result && 'throughput' in result ? result.throughput.mean * BATCH : 0;
  };
  const closure = rate('expr: compiled closure');
  const oracle = rate('expr: json-logic-js apply');
  const hand = rate('expr: hand-written closure');
  if (sink < 0) console.log(sink);
  return [
    { name: 'expr: compiled closure', opsPerSec: closure, note: `${(closure / oracle).toFixed(1)}x json-logic-js (target >= 10x)` },
    { name: 'expr: json-logic-js apply', opsPerSec: oracle },
    { name: 'expr: hand-written closure', opsPerSec: hand, note: `closure reaches ${((closure / hand) * 100).toFixed(0)}% of it` },
  ];
}
