import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, stateKey, type GateCheck } from './gate.ts';

type RateGate = Extract<Gate, { kind: 'rate' }>;

/** At most `max` runs per key per window (seed 003: 3 per service and 10 overall per hour). */
export const checkRate: GateCheck<RateGate> = async (gate, { state, playbook, scope, now }) => {
  const key = keyOf(gate.key.evaluate(scope));
  const hit = await state.hit(stateKey(gate.label, playbook, key), gate.max, gate.perMs);
  const scopeText = `${gate.max} per ${formatMs(gate.perMs)} for ${JSON.stringify(key)}`;
  if (hit.allowed) return { verdict: 'pass', reason: `${hit.count}/${scopeText}`, key };
  const wait = Math.max(0, hit.resetAt - now);
  return { verdict: 'refuse', reason: `rate limit reached: ${scopeText}; window resets in ${formatMs(Math.ceil(wait / 1000) * 1000)}`, key };
};
