import type { Gate } from '../playbook/model.ts';
import { truthy } from '../expr/truthy.ts';
import { decided, keyOf, type GatePlanner } from './gate.ts';

type MaintenanceGate = Extract<Gate, { kind: 'maintenance' }>;

/**
 * Nothing runs for a host or service inside a declared window, a maintenance flag, or a `when:`.
 * The pure checks (windows, `when:`) come first so a flag is read only when they pass.
 */
export const planMaintenance: GatePlanner<MaintenanceGate> = (gate, { now, event, scope }) => {
  const host = typeof event?.['host'] === 'string' ? event['host'] : null;
  const service = typeof event?.['service'] === 'string' ? event['service'] : null;
  for (const w of gate.windows) {
    if (now < w.fromMs || now >= w.toMs) continue;
    if (w.hosts && (host === null || !w.hosts.includes(host))) continue;
    if (w.services && (service === null || !w.services.includes(service))) continue;
    const until = new Date(w.toMs).toISOString();
    return decided('refuse', `maintenance window until ${until}${w.reason ? `: ${w.reason}` : ''}`);
  }
  if (gate.when && truthy(gate.when.evaluate(scope))) return decided('refuse', `when: ${gate.when.source}`);
  if (!gate.key) return decided('pass', 'not in maintenance');
  const key = keyOf(gate.key.evaluate(scope));
  return {
    kind: 'op',
    // Any value but false (or absence) means the flag is set.
    op: { op: 'read', key, refuseOn: { except: ['false'] } },
    decide: (r) => (r.refused ? { verdict: 'refuse', reason: `maintenance flag set: ${key}`, key } : { verdict: 'pass', reason: 'not in maintenance' }),
  };
};
