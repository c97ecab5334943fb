import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, stateKey, type GatePlanner } from './gate.ts';

type DedupGate = Extract<Gate, { kind: 'dedup' }>;

/** The first event for a key opens a window; repeats inside it are duplicates (seed 004: 20 min). */
export const planDedup: GatePlanner<DedupGate> = (gate, { playbook, runId, scope }) => {
  const key = keyOf(gate.key.evaluate(scope));
  return {
    kind: 'op',
    op: { op: 'claim', key: stateKey('dedup', playbook, key), value: runId, ttlMs: gate.forMs },
    decide: (r) =>
      r.refused
        ? {
            verdict: 'refuse',
            reason: `duplicate: ${JSON.stringify(key)} already handled by ${r.op === 'claim' ? String(r.holder) : '?'} within ${formatMs(gate.forMs)}`,
            key,
          }
        : { verdict: 'pass', reason: `first event for ${JSON.stringify(key)} in ${formatMs(gate.forMs)}`, key },
  };
};
