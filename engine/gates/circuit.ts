import type { Gate } from '../playbook/model.ts';
import type { GateCheck } from './gate.ts';

type CircuitGate = Extract<Gate, { kind: 'circuit' }>;

/** Skips the run while a dependency is known to be down (seed 004: glpi_health_status). */
export const checkCircuit: GateCheck<CircuitGate> = async (gate, { state }) => {
  const value = await state.get(gate.key);
  const text = value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
  if (text !== null && gate.openWhen.includes(text)) {
    return { verdict: 'refuse', reason: `circuit open: ${gate.key}=${text}`, key: gate.key };
  }
  return { verdict: 'pass', reason: `circuit closed: ${gate.key}=${text ?? 'unset'}`, key: gate.key };
};
