import type { Playbook } from '../playbook/model.ts';
import { truthy } from '../expr/truthy.ts';

export interface TriggerMatch {
  matched: Playbook[];
  /** Why each other playbook did not run: the answer to "why did it not fire?". */
  skipped: { playbook: string; reason: string }[];
}

/** The playbooks whose `on.webhook` names the event's source and whose `on.when` holds. */
export function matchWebhook(playbooks: readonly Playbook[], event: Record<string, unknown>, now: number): TriggerMatch {
  const matched: Playbook[] = [];
  const skipped: TriggerMatch['skipped'] = [];
  const source = typeof event['source'] === 'string' ? event['source'] : '';
  for (const p of playbooks) {
    if (!p.trigger.webhooks.includes(source)) {
      skipped.push({ playbook: p.ref.name, reason: p.trigger.webhooks.length ? `listens to ${p.trigger.webhooks.join(', ')}, not ${source}` : 'not triggered by webhooks' });
      continue;
    }
    if (p.trigger.when && !truthy(p.trigger.when.evaluate({ event, vars: p.vars, $now: now }))) {
      skipped.push({ playbook: p.ref.name, reason: `on.when is false: ${p.trigger.when.source}` });
      continue;
    }
    matched.push(p);
  }
  return { matched, skipped };
}
