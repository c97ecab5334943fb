import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, type GateCheck } from './gate.ts';

type CooldownGate = Extract<Gate, { kind: 'cooldown' }>;

/** The state key an executed intent marks, shared by the gate and intent.run. */
export function cooldownKey(key: string): string {
  return `cooldown:${key}`;
}

/**
 * Refuses while a cooldown mark exists for the key (intent.run marks `intent:target` after it acts);
 * with `for:` the gate also marks the key itself when it lets an event through.
 */
export const checkCooldown: GateCheck<CooldownGate> = async (gate, { state, scope, runId }) => {
  const key = keyOf(gate.key.evaluate(scope));
  const k = cooldownKey(key);
  if (gate.forMs === null) {
    const left = await state.ttl(k);
    if ((await state.get(k)) !== null) {
      return { verdict: 'refuse', reason: `cooldown: ${JSON.stringify(key)} acted on recently${left === null ? '' : `; ${formatMs(Math.ceil(left / 1000) * 1000)} left`}`, key };
    }
    return { verdict: 'pass', reason: `no cooldown for ${JSON.stringify(key)}`, key };
  }
  if (await state.setIfAbsent(k, runId, gate.forMs)) return { verdict: 'pass', reason: `cooldown of ${formatMs(gate.forMs)} starts for ${JSON.stringify(key)}`, key };
  return { verdict: 'refuse', reason: `cooldown: ${JSON.stringify(key)} is cooling down (${formatMs(gate.forMs)})`, key };
};
