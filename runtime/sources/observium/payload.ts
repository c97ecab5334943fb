import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IdentityText, IdText, Nullable } from '../payload-schema.ts';
import { splitTerm } from '../terms.ts';
import type { ObserviumOptions } from './options.ts';

/**
 * The body of Observium's `webhook` and `webhook-json` transports (examples/observium): one flat
 * object of upper-case tags. `webhook` sends ALERT_UNIXTIME as a number, `webhook-json` every
 * value as a text, so ids are texts or integers. The device and entity names are what a host or
 * service comes from: no control characters. Other tags are allowed and not read; times are
 * left to ../time.ts.
 */

const Name = Nullable(IdentityText({ expected: 'a text without control characters' }));
const OptionalId = Nullable(IdText({ maxLength: 64, expected: 'a number or a text of at most 64 characters' }));

const FIELDS = {
  ALERT_STATE: Type.String({ maxLength: 32, expected: 'a state such as ALERT or RECOVER' }),
  ALERT_ID: IdText({ maxLength: 64, expected: 'a number or a text of at most 64 characters' }),
  ENTITY_TYPE: Type.Optional(OptionalId),
  ENTITY_ID: Type.Optional(OptionalId),
  DEVICE_ID: Type.Optional(OptionalId),
  ENTITY_NAME: Type.Optional(Name),
  DEVICE_HOSTNAME: Type.Optional(Name),
  DEVICE_SYSNAME: Type.Optional(Name),
};

const ObserviumPayload = Type.Object(FIELDS);
type ObserviumPayload = Static<typeof ObserviumPayload>;

/** The tags a term of `serviceFrom`/`hostFrom` reads besides the fixed names above. */
const TERM_FIELDS: Readonly<Record<string, string>> = {
  'entity-description': 'ENTITY_DESCRIPTION',
  'device-description': 'DEVICE_DESCRIPTION',
};

const forOptions = new WeakMap<ObserviumOptions, TSchema>();

/**
 * The payload schema for a configuration: a tag that a term makes the service or the host
 * (`field:DEVICE_LOCATION`, `device-description`) holds no control character either.
 */
export function observiumPayloadFor(options: ObserviumOptions): TSchema {
  let schema = forOptions.get(options);
  if (schema === undefined) {
    const named: Record<string, TSchema> = {};
    for (const term of [...options.serviceFrom, ...options.hostFrom]) {
      const { kind, argument } = splitTerm(term);
      const field = kind === 'field' ? argument : TERM_FIELDS[kind];
      if (field !== undefined && !Object.hasOwn(FIELDS, field)) {
        // Only a text is read from such a tag; a number in it is ignored as it always was.
        named[field] = Type.Optional(Type.Unsafe({ type: ['string', 'number', 'boolean', 'null'], pattern: IdentityText().pattern, expected: 'a text without control characters' }));
      }
    }
    schema = Object.keys(named).length === 0 ? ObserviumPayload : Type.Object({ ...FIELDS, ...named });
    forOptions.set(options, schema);
  }
  return schema;
}
