import { atPath } from '../fields.ts';
import { IdentityText, payloadCheck } from '../payload-schema.ts';
import type { NormalizeFailure } from '../outcome.ts';
import { firstMalformed } from '../well-formed.ts';
import type { GenericOptions } from './options.ts';

/**
 * A generic source has no documented body: its shape is its mapping. The body is well-formed
 * everywhere (../well-formed.ts), and a text the mapping makes the service, the host or the alert
 * id is a name, without control characters, wherever the mapping points (`app.service`,
 * `items.0.host`). The types of the mapped fields are checked as they are read (normalize.ts).
 */

const identityText = payloadCheck(IdentityText({ expected: 'a text without control characters' }));

const IDENTITY_FIELDS = ['service', 'host', 'fingerprint'] as const;

export function checkGenericBody(body: unknown, options: GenericOptions): NormalizeFailure | null {
  const malformed = firstMalformed(body);
  if (malformed !== null) return malformed;
  for (const field of IDENTITY_FIELDS) {
    const path = options[field];
    if (typeof path !== 'string' || path === '') continue;
    const value = atPath(body, path);
    if (typeof value !== 'string') continue;
    const refused = identityText(value, path);
    if (refused !== null) return refused;
  }
  return null;
}
