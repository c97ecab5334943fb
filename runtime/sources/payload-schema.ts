import { Type, type Static, type StringOptions, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { SECRET_KEY } from '../../engine/trace/redact.ts';
import { describe } from './fields.ts';
import { joinPath, pointerSegments } from './json-path.ts';
import { reject, type NormalizeFailure } from './outcome.ts';
import { firstMalformed } from './well-formed.ts';

/**
 * The native body of each source, declared as a schema (TypeBox, validated by Ajv) beside its
 * normalizer, and checked before anything is read from it: the schema is the documented shape,
 * the normalizer reads a value that has it. A refusal names the first offending field, in the
 * normalizers' path notation, with a reason built from the schema:
 *
 *   absent required field                  MISSING_FIELD
 *   not an object where one is expected    NOT_AN_OBJECT
 *   control character in an identity text  CONTROL_CHARACTER
 *   anything else                          BAD_FIELD: "<path> must be <expected>, got <value>"
 *
 * `expected` is an annotation on a field's schema, in words ("0, 1, 2 or 3"). Unions are
 * written as JSON type lists (`["integer", "string"]`), never anyOf, so the first error Ajv
 * reports is the one that matters.
 */

/** No Unicode control character (Cc: U+0000-U+001F, U+007F-U+009F): no newline, tab, NUL or escape. */
const IDENTITY_PATTERN = '^\\P{Cc}*$';

/**
 * A text that names something (a service, a host, a label that is part of an alert's identity):
 * it may become a playbook's target, a dedup key or a line in a log, so a control character in
 * it is refused rather than carried along.
 */
export const IdentityText = (options: StringOptions = {}) => Type.String({ ...options, pattern: IDENTITY_PATTERN });

/** A JSON value that may also be null: `{type: [T, "null"]}`. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const type: unknown = schema['type'];
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [...(Array.isArray(type) ? type : [type]), 'null'] });
}

/** An id as tools send it: a text, or an integer. */
export const IdText = (options: { maxLength: number; expected: string }) =>
  Type.Unsafe<string | number>({ type: ['string', 'integer'], ...options });

/** An object of texts (labels, annotations): `values` is the schema of each value. */
export const TextMap = (values: TSchema, options: { identityKeys: boolean }) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: values,
    ...(options.identityKeys ? { propertyNames: { pattern: IDENTITY_PATTERN } } : {}),
  });

/** Checks a value against a payload schema; null when it conforms. */
export type PayloadCheck = (value: unknown, at?: string) => NormalizeFailure | null;

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, verbose: true, allErrors: false });
ajv.addVocabulary(['expected']);
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** The check of one schema, compiled once. `at` is the path of `value` inside the body. */
export function payloadCheck(schema: TSchema): PayloadCheck {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const run = validate;
  return (value, at = '') => (run(value) ? null : failureOf(value, run.errors ?? [], at));
}

/** A whole body: well-formed values everywhere (./well-formed.ts), then its schema. */
export function checkBody(schema: TSchema, body: unknown): NormalizeFailure | null {
  return firstMalformed(body) ?? payloadCheck(schema)(body);
}

function failureOf(root: unknown, errors: readonly ErrorObject[], at: string): NormalizeFailure {
  const first = errors[0];
  if (first === undefined) return reject('BAD_FIELD', `${at || 'the body'} does not have the expected shape`, at || undefined);
  const path = joinPath(at, pointerSegments(root, first.instancePath));
  const naming = errors.find((e) => e.keyword === 'propertyNames');
  if (naming !== undefined) {
    const key = String((naming.params as { propertyName?: unknown }).propertyName ?? '');
    const keyPath = joinPath(at, [...pointerSegments(root, naming.instancePath), key]);
    return reject('CONTROL_CHARACTER', `${keyPath}: the key contains the control character ${controlIn(key)}, which a name cannot hold`, keyPath);
  }
  const where = path || 'the body';
  const expected = expectedOf(first);
  // The reason is answered and kept (GET /events): a value under a secret-looking key stays out of it.
  const lastKey = pointerSegments(root, first.instancePath).at(-1);
  const got = typeof lastKey === 'string' && SECRET_KEY.test(lastKey) ? 'a value not shown (the field looks secret)' : describe(first.data);
  switch (first.keyword) {
    case 'required': {
      const missing = joinPath(path, [String((first.params as { missingProperty?: unknown }).missingProperty ?? '')]);
      return reject('MISSING_FIELD', `${missing} is required`, missing);
    }
    case 'type': {
      const types = ([] as unknown[]).concat((first.params as { type?: unknown }).type);
      if (types.includes('object') && !types.includes('string')) {
        return reject('NOT_AN_OBJECT', `${where} must be an object, got ${got}`, path || undefined);
      }
      return reject('BAD_FIELD', `${where} must be ${expected ?? `of type ${types.join(' or ')}`}, got ${got}`, path || undefined);
    }
    case 'pattern':
      if ((first.params as { pattern?: unknown }).pattern === IDENTITY_PATTERN && typeof first.data === 'string') {
        return reject('CONTROL_CHARACTER', `${where} contains the control character ${controlIn(first.data)}, which a name cannot hold`, path || undefined);
      }
      break;
  }
  return reject('BAD_FIELD', `${where} must be ${expected ?? first.message ?? 'valid'}, got ${got}`, path || undefined);
}

function expectedOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { expected?: unknown } | undefined;
  return typeof schema?.expected === 'string' ? schema.expected : undefined;
}

/** `U+000A` for the first control character of a text. */
function controlIn(text: string): string {
  const match = /\p{Cc}/u.exec(text);
  const code = match ? match[0].codePointAt(0)! : 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
