import { EngineError } from '../errors.ts';
import type { Gate } from '../playbook/model.ts';
import type { GateOps } from '../ports/state-store.ts';
import type { GateInput, GatePlan, GateResult } from './gate.ts';
import { planGate } from './table.ts';

interface GateVerdictRecord extends GateResult {
  gate: string;
}

export interface Admission {
  admitted: boolean;
  /** One verdict per gate evaluated, in order; gates after the first refusal are not evaluated. */
  verdicts: GateVerdictRecord[];
}

/**
 * Evaluates a playbook's gates as if one after the other, stopping at the first refusal, but with
 * all state operations sent to the store in one `applyGateOps` call (one round trip in Redis).
 * Planning stops at the first gate refused without the store; the operations planned before it
 * are still applied, exactly as a sequential evaluation would have done.
 */
export async function evaluateGates(gates: readonly Gate[], input: GateInput, state: GateOps): Promise<Admission> {
  const plans: { gate: Gate; plan: GatePlan }[] = [];
  for (const gate of gates) {
    const plan = planGate(gate, input);
    plans.push({ gate, plan });
    if (plan.kind === 'decided' && plan.result.verdict === 'refuse') break;
  }
  const ops = plans.flatMap(({ plan }) => (plan.kind === 'op' ? [plan.op] : []));
  const results = ops.length > 0 ? await state.applyGateOps(ops) : [];

  const verdicts: GateVerdictRecord[] = [];
  let next = 0;
  for (const { gate, plan } of plans) {
    let result: GateResult;
    if (plan.kind === 'decided') {
      result = plan.result;
    } else {
      const r = results[next++];
      // The store stops only after a refusal, and a refusal returns below: a missing result is a store bug.
      if (r === undefined) throw new EngineError('STATE_GATE_OPS', `the state store answered ${results.length} of ${ops.length} gate operations without a refusal`);
      result = plan.decide(r);
    }
    verdicts.push({ gate: gate.label, ...result });
    if (result.verdict === 'refuse') return { admitted: false, verdicts };
  }
  return { admitted: true, verdicts };
}
