import type { Gate } from '../playbook/model.ts';
import { truthy } from '../run/truthy.ts';
import { keyOf, type GateCheck } from './gate.ts';

type MaintenanceGate = Extract<Gate, { kind: 'maintenance' }>;

/** Nothing runs for a host or service inside a declared window, a maintenance flag, or a `when:`. */
export const checkMaintenance: GateCheck<MaintenanceGate> = async (gate, { state, now, event, scope }) => {
  const host = typeof event?.['host'] === 'string' ? event['host'] : null;
  const service = typeof event?.['service'] === 'string' ? event['service'] : null;
  for (const w of gate.windows) {
    if (now < w.fromMs || now >= w.toMs) continue;
    if (w.hosts && (host === null || !w.hosts.includes(host))) continue;
    if (w.services && (service === null || !w.services.includes(service))) continue;
    const until = new Date(w.toMs).toISOString();
    return { verdict: 'refuse', reason: `maintenance window until ${until}${w.reason ? `: ${w.reason}` : ''}` };
  }
  if (gate.key) {
    const key = keyOf(gate.key.evaluate(scope));
    const flag = await state.get(key);
    if (flag !== null && flag !== false) return { verdict: 'refuse', reason: `maintenance flag set: ${key}`, key };
  }
  if (gate.when && truthy(gate.when.evaluate(scope))) {
    return { verdict: 'refuse', reason: `maintenance: ${gate.when.source}` };
  }
  return { verdict: 'pass', reason: 'not in maintenance' };
};
