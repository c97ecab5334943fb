import type { AnySchemaObject, ErrorObject } from 'ajv/dist/2020.js';
import { closestName } from './closest.ts';

/** One schema problem, before it gets a location: where (a JSON Pointer), and what, for people. */
export interface Finding {
  /** The value at fault; for an unknown property, the mapping that holds it. */
  pointer: string;
  /** The key at fault, when the problem is the key itself (an unknown property). */
  key?: string;
  message: string;
  hint?: string;
}

/** A message for one ajv error; null for errors that only repeat others (such as `if`). */
export function describeError(e: ErrorObject): Finding | null {
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as AnySchemaObject;
  const at = (message: string): Finding => {
    const hint = HINTED.has(e.keyword) ? description(parent) : undefined;
    return hint ? { pointer: e.instancePath, message, hint } : { pointer: e.instancePath, message };
  };
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p.additionalProperty ?? p.unevaluatedProperty);
      return unknownProperty(e.instancePath, key, Object.keys((parent.properties ?? {}) as object));
    }
    case 'required':
      return at(`missing required property ${JSON.stringify(p.missingProperty)}`);
    case 'dependentRequired':
      return at(`property ${JSON.stringify(p.property)} needs ${JSON.stringify(p.missingProperty)} as well`);
    case 'type':
      return at(`must be ${typeNoun(String(p.type))} (got ${kindOf(e.data)})`);
    case 'const':
      return at(`must be ${show(p.allowedValue)}`);
    case 'enum':
      return at(`must be one of: ${(p.allowedValues as unknown[]).map(show).join(', ')}`);
    case 'pattern':
      return at(`must match the pattern ${String(p.pattern)}`);
    case 'format':
      return at(`must be a valid ${String(p.format)}`);
    case 'minLength':
      return at(p.limit === 1 ? 'must not be empty' : `must be at least ${count(p.limit, 'character')} long`);
    case 'maxLength':
      return at(`must be at most ${count(p.limit, 'character')} long`);
    case 'minItems':
      return at(p.limit === 1 ? 'must not be an empty list' : `must have at least ${count(p.limit, 'item')}`);
    case 'maxItems':
      return at(`must have at most ${count(p.limit, 'item')}`);
    case 'minProperties':
      return at(p.limit === 1 ? 'must not be an empty mapping' : `must have at least ${count(p.limit, 'property', 'properties')}`);
    case 'maxProperties':
      return at(`must have at most ${count(p.limit, 'property', 'properties')}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`must be ${String(p.comparison)} ${String(p.limit)}`);
    case 'multipleOf':
      return at(`must be a multiple of ${String(p.multipleOf)}`);
    case 'uniqueItems':
      return at(`must not repeat items (items ${String(p.j)} and ${String(p.i)} are the same)`);
    case 'propertyNames':
      return { pointer: e.instancePath, key: String(p.propertyName), message: `property name ${JSON.stringify(p.propertyName)} is not allowed` };
    case 'oneOf':
      return at('matches more than one of the allowed forms');
    case 'not':
    case 'false schema':
      return at('is not allowed here');
    case 'if':
      return null;
    default:
      return at(e.message ?? 'is not valid');
  }
}

function unknownProperty(pointer: string, key: string, allowed: readonly string[]): Finding {
  const suggestion = closestName(key, allowed);
  const f: Finding = { pointer, key, message: `unknown property ${JSON.stringify(key)}` };
  if (suggestion) f.message += ` (did you mean ${JSON.stringify(suggestion)}?)`;
  else if (allowed.length > 0 && allowed.length <= 20) f.hint = `allowed here: ${allowed.join(', ')}`;
  return f;
}

// Keywords whose failure the schema's own description helps to fix (what a duration looks like).
const HINTED = new Set(['type', 'pattern', 'format', 'minLength', 'maxLength', 'const', 'enum']);

function description(schema: AnySchemaObject): string | undefined {
  return typeof schema.description === 'string' ? schema.description : undefined;
}

export function typeNoun(type: string): string {
  return type
    .split(',')
    .map((t) => TYPE_NOUNS[t] ?? `a ${t}`)
    .join(' or ');
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
  array: 'a list',
  object: 'a mapping',
};

/** What a value is, in the words of the YAML it came from. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : 'a number';
  return typeof value;
}

/** A constant as people would write it in YAML: strings bare unless they need quotes. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const bare = /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value);
    return bare ? value : JSON.stringify(value);
  }
  return JSON.stringify(value) ?? String(value);
}

function count(n: unknown, singular: string, plural = `${singular}s`): string {
  return `${String(n)} ${n === 1 ? singular : plural}`;
}
