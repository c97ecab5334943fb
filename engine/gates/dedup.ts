import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, stateKey, type GateCheck } from './gate.ts';

type DedupGate = Extract<Gate, { kind: 'dedup' }>;

/** The first event for a key opens a window; repeats inside it are duplicates (seed 004: 20 min). */
export const checkDedup: GateCheck<DedupGate> = async (gate, { state, playbook, runId, scope }) => {
  const key = keyOf(gate.key.evaluate(scope));
  const k = stateKey('dedup', playbook, key);
  const first = await state.setIfAbsent(k, runId, gate.forMs);
  if (first) return { verdict: 'pass', reason: `first event for ${JSON.stringify(key)} in ${formatMs(gate.forMs)}`, key };
  const original = await state.get(k);
  return {
    verdict: 'refuse',
    reason: `duplicate: ${JSON.stringify(key)} already handled by ${String(original)} within ${formatMs(gate.forMs)}`,
    key,
  };
};
