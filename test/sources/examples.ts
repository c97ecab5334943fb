import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { NormalizedEvent } from '../../schemas/event.ts';
import type { NormalizeOutcome } from '../../runtime/sources/normalizer.ts';

/** The captured webhook bodies shipped in the repository's examples/ folder. */
const EXAMPLES = new URL('../../examples/', import.meta.url);

export function exampleText(relative: string): string {
  return readFileSync(new URL(relative, EXAMPLES), 'utf8');
}

export function example(relative: string): unknown {
  return JSON.parse(exampleText(relative));
}

/** Reception time used by the tests: a few minutes after the captures. */
export const RECEIVED_AT = Date.parse('2026-11-21T23:15:00.000Z');

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(NormalizedEvent);

/** Every event a normalizer emits must match the published schema. */
export function schemaErrors(outcome: NormalizeOutcome): string[] {
  if (!outcome.ok) return [];
  return outcome.events.flatMap((e) => (validate(e) ? [] : (validate.errors ?? []).map((err) => `${err.instancePath} ${err.message}`)));
}

export function events(outcome: NormalizeOutcome) {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.code}: ${outcome.reason}`);
  return outcome.events;
}
