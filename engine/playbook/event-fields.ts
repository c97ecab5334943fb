import type { RootFields } from '../expr/check.ts';
import { NormalizedEvent } from '../../schemas/event.ts';
import type { PlaybookDocument } from '../../schemas/playbook.ts';
import type { BrokenParts } from './broken-parts.ts';

/**
 * The event schema of each webhook source. Every source, the three known tools and the generic
 * sources configured by name, is normalized into schemas/event.ts before a playbook sees it.
 */
function eventSchemaOf(_source: string): { properties: Record<string, unknown> } {
  return NormalizedEvent;
}

/**
 * What `event.*` may name in this playbook's expressions: the fields of its sources' event
 * schemas, when it is started by webhooks only. An approval, a schedule (no event) or a step
 * named `event` leaves `event` unchecked, as does a trigger that failed the schema.
 */
export function eventFields(on: PlaybookDocument['on'] | undefined, broken: BrokenParts, stepIds: ReadonlySet<string>): RootFields {
  if (on === undefined || broken.has(['on']) || broken.has(['on', 'webhook']) || stepIds.has('event')) return new Map();
  if (on.webhook === undefined || on.approval === true || on.schedule !== undefined) return new Map();
  const sources = Array.isArray(on.webhook) ? on.webhook : [on.webhook];
  const fields = new Set(sources.flatMap((s) => Object.keys(eventSchemaOf(s).properties)));
  return new Map([['event', fields]]);
}
