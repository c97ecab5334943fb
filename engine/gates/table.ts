import type { Gate } from '../playbook/model.ts';
import { checkCircuit } from './circuit.ts';
import { checkCooldown } from './cooldown.ts';
import { checkDedup } from './dedup.ts';
import type { GateInput, GateResult } from './gate.ts';
import { checkMaintenance } from './maintenance.ts';
import { checkRate } from './rate.ts';
import { checkStale } from './stale.ts';

export const GATE_KINDS = ['stale', 'maintenance', 'dedup', 'rate', 'cooldown', 'circuit'] as const;

/** Runs one gate of any kind. */
export function checkGate(gate: Gate, input: GateInput): Promise<GateResult> {
  switch (gate.kind) {
    case 'stale':
      return checkStale(gate, input);
    case 'maintenance':
      return checkMaintenance(gate, input);
    case 'dedup':
      return checkDedup(gate, input);
    case 'rate':
      return checkRate(gate, input);
    case 'cooldown':
      return checkCooldown(gate, input);
    case 'circuit':
      return checkCircuit(gate, input);
  }
}
