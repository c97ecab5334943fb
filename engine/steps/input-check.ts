import type { TSchema } from '@sinclair/typebox';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EngineError } from '../errors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Every way `value` breaks `schema`, as short sentences; empty when it conforms. */
export function schemaProblems(schema: TSchema, value: unknown): string[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${e.instancePath || '(root)'} ${e.message ?? ''}${extra}`.trim();
  });
}

/** Checks a step's rendered input against its executor's schema; throws STEP_INPUT with every problem. */
export function checkStepInput(executor: string, schema: TSchema, input: unknown): void {
  const problems = schemaProblems(schema, input);
  if (problems.length) throw new EngineError('STEP_INPUT', `${executor}: bad input: ${problems.join('; ')}`);
}
