import type { Gate } from '../playbook/model.ts';
import type { GatePlanner } from './gate.ts';

type CircuitGate = Extract<Gate, { kind: 'circuit' }>;

/** Skips the run while a dependency is known to be down (seed 004: glpi_health_status). */
export const planCircuit: GatePlanner<CircuitGate> = (gate) => ({
  kind: 'op',
  // A flag may be stored as the string "open" or as raw JSON (true, 1): match both spellings.
  op: { op: 'read', key: gate.key, refuseOn: { anyOf: gate.openWhen.flatMap((t) => [JSON.stringify(t), t]) } },
  decide: (r) => {
    const value = r.op === 'read' ? r.value : null;
    const text = value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
    if (r.refused) return { verdict: 'refuse', reason: `circuit open: ${gate.key}=${text}`, key: gate.key };
    return { verdict: 'pass', reason: `circuit closed: ${gate.key}=${text ?? 'unset'}`, key: gate.key };
  },
});
