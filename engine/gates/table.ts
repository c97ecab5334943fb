import type { Gate } from '../playbook/model.ts';
import { planCircuit } from './circuit.ts';
import { planCooldown } from './cooldown.ts';
import { planDedup } from './dedup.ts';
import type { GateInput, GatePlan } from './gate.ts';
import { planMaintenance } from './maintenance.ts';
import { planRate } from './rate.ts';
import { planStale } from './stale.ts';

export const GATE_KINDS = ['stale', 'maintenance', 'dedup', 'rate', 'cooldown', 'circuit'] as const;

/** Plans one gate of any kind. */
export function planGate(gate: Gate, input: GateInput): GatePlan {
  switch (gate.kind) {
    case 'stale':
      return planStale(gate, input);
    case 'maintenance':
      return planMaintenance(gate, input);
    case 'dedup':
      return planDedup(gate, input);
    case 'rate':
      return planRate(gate, input);
    case 'cooldown':
      return planCooldown(gate, input);
    case 'circuit':
      return planCircuit(gate, input);
  }
}
