import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, stateKey, type GatePlanner } from './gate.ts';

type RateGate = Extract<Gate, { kind: 'rate' }>;

/** At most `max` runs per key per window (seed 003: 3 per service and 10 overall per hour). */
export const planRate: GatePlanner<RateGate> = (gate, { playbook, scope, now }) => {
  const key = keyOf(gate.key.evaluate(scope));
  const scopeText = `${gate.max} per ${formatMs(gate.perMs)} for ${JSON.stringify(key)}`;
  return {
    kind: 'op',
    op: { op: 'hit', key: stateKey(gate.label, playbook, key), max: gate.max, windowMs: gate.perMs },
    decide: (r) => {
      if (r.op !== 'hit') throw new Error('rate gate got a result for another operation');
      if (!r.refused) return { verdict: 'pass', reason: `${r.count}/${scopeText}`, key };
      const wait = Math.max(0, r.resetAt - now);
      return { verdict: 'refuse', reason: `rate limit reached: ${scopeText}; window resets in ${formatMs(Math.ceil(wait / 1000) * 1000)}`, key };
    },
  };
};
