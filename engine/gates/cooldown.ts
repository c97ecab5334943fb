import type { Gate } from '../playbook/model.ts';
import { formatMs, keyOf, type GatePlanner } from './gate.ts';

type CooldownGate = Extract<Gate, { kind: 'cooldown' }>;

/** The state key a cooldown gate reads; intent.run marks the same namespace. */
function cooldownKey(key: string): string {
  return `cooldown:${key}`;
}

/**
 * The mark intent.run leaves after a command ran: per intent, target and host, so restarting
 * nginx on web-1 does not hold back nginx on web-2. A gate reads it with the same text, e.g.
 * `cooldown: { key: "'restart_service:' + event.service + '@' + event.host" }`.
 */
export function intentCooldownKey(intent: string, target: string | null, host: string | null): string {
  return cooldownKey(`${intent}:${target ?? ''}@${host ?? ''}`);
}

/**
 * Refuses while a cooldown mark exists for the key (intent.run marks `intent:target@host` when a command ran);
 * with `for:` the gate also marks the key itself when it lets an event through.
 */
export const planCooldown: GatePlanner<CooldownGate> = (gate, { scope, runId }) => {
  const key = keyOf(gate.key.evaluate(scope));
  const k = cooldownKey(key);
  const forMs = gate.forMs;
  if (forMs === null) {
    return {
      kind: 'op',
      op: { op: 'read', key: k, refuseOn: 'present' },
      decide: (r) => {
        if (!r.refused) return { verdict: 'pass', reason: `no cooldown for ${JSON.stringify(key)}`, key };
        const left = r.op === 'read' ? r.ttlMs : null;
        return { verdict: 'refuse', reason: `${JSON.stringify(key)} acted on recently${left === null ? '' : `; ${formatMs(Math.ceil(left / 1000) * 1000)} left`}`, key };
      },
    };
  }
  return {
    kind: 'op',
    op: { op: 'claim', key: k, value: runId, ttlMs: forMs },
    decide: (r) =>
      r.refused
        ? { verdict: 'refuse', reason: `${JSON.stringify(key)} is cooling down (${formatMs(forMs)})`, key }
        : { verdict: 'pass', reason: `cooldown of ${formatMs(forMs)} starts for ${JSON.stringify(key)}`, key },
  };
};
