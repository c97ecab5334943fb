import type { Gate } from '../playbook/model.ts';
import { decided, formatMs, type GatePlanner } from './gate.ts';

type StaleGate = Extract<Gate, { kind: 'stale' }>;

/** Alerts older than the limit are history, not incidents (seed 004: ignore alerts over 5 min old). */
export const planStale: GatePlanner<StaleGate> = (gate, { event, now }) => {
  const at = event?.['at'];
  const t = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : NaN;
  if (!Number.isFinite(t)) return decided('pass', 'event has no timestamp');
  const age = now - t;
  if (age > gate.olderThanMs) {
    return decided('refuse', `event is ${formatMs(Math.round(age / 1000) * 1000)} old, limit ${formatMs(gate.olderThanMs)}`);
  }
  return decided('pass', `event is ${formatMs(Math.max(0, Math.round(age / 1000) * 1000))} old`);
};
