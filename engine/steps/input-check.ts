import type { TSchema } from '@sinclair/typebox';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EngineError } from '../errors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Declared output schemas compiled once per text (they arrive as plain JSON, a new object each run). */
const byText = new Map<string, ReturnType<typeof ajv.compile>>();
const MAX_DECLARED = 500;

/** Why a declared output schema (an `llm.ask` step's `output:`) is not a usable JSON Schema; empty when it is. */
export function declaredSchemaProblems(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ['output: must be a JSON Schema object'];
  if (!ajv.validateSchema(schema as object)) return (ajv.errors ?? []).map((e) => `output${e.instancePath} ${e.message ?? ''}`.trim());
  try {
    ajv.compile(schema as object);
  } catch (e) {
    return [`output: ${(e as Error).message}`];
  }
  return [];
}

/** Every way `value` breaks a declared output schema, as short sentences. */
export function declaredProblems(schema: object, value: unknown): string[] {
  const text = JSON.stringify(schema);
  let validate = byText.get(text);
  if (!validate) {
    validate = ajv.compile(schema);
    if (byText.size >= MAX_DECLARED) byText.clear();
    byText.set(text, validate);
  }
  return validate(value) ? [] : describe(validate.errors);
}

function describe(errors: ReturnType<typeof ajv.compile>['errors']): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${e.instancePath || '(root)'} ${e.message ?? ''}${extra}`.trim();
  });
}

/** Every way `value` breaks `schema`, as short sentences; empty when it conforms. */
export function schemaProblems(schema: TSchema, value: unknown): string[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate(value) ? [] : describe(validate.errors);
}

/** Checks a step's rendered input against its executor's schema; throws STEP_INPUT with every problem. */
export function checkStepInput(executor: string, schema: TSchema, input: unknown): void {
  const problems = schemaProblems(schema, input);
  if (problems.length) throw new EngineError('STEP_INPUT', `${executor}: bad input: ${problems.join('; ')}`);
}
