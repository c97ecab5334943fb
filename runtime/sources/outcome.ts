import type { NormalizedEvent } from '../../schemas/event.ts';

/**
 * What a normalizer answers. A refusal is data with a stable code, a reason for the
 * person who configured the sender, and the path of the offending field; the HTTP
 * layer turns it into a 4xx. Normalizers never throw.
 */
export const NORMALIZE_FAILURES = {
  NOT_AN_OBJECT: 'the body (or a part that must be an object) is not a JSON object',
  MISSING_FIELD: 'a required field is absent (or, for a time, null)',
  BAD_FIELD: 'a field has the wrong type or a value outside its range',
  CONTROL_CHARACTER: 'a name (label, monitor or device name, host name, mapped service or host) holds a control character',
  NUMBER_NOT_FINITE: 'a number is too large to represent (1e309 reads as Infinity)',
  INVALID_TEXT: 'a text holds U+0000 or an unpaired surrogate, which no record can keep',
  BAD_TIMESTAMP: 'a timestamp does not parse or is out of range',
  FUTURE_TIMESTAMP: 'a timestamp is more than one day ahead of reception',
  TOO_MANY_ALERTS: 'one request carries more alerts than a normalizer accepts',
  BAD_FORM_FIELD: 'the form-data field does not hold a JSON document',
  SECRET_FIELD: 'a SAFEGUARD request carries a field whose name says it is a secret (a password): it would be kept in clear',
} as const;

export type NormalizeFailureCode = keyof typeof NORMALIZE_FAILURES;

export type NormalizeFailure = { ok: false; code: NormalizeFailureCode; reason: string; path?: string };

export type NormalizeOutcome =
  | { ok: true; events: NormalizedEvent[]; note?: string }
  | NormalizeFailure;

export function reject(code: NormalizeFailureCode, reason: string, path?: string): NormalizeFailure {
  return path === undefined ? { ok: false, code, reason } : { ok: false, code, reason, path };
}

export function accept(events: NormalizedEvent[], note?: string): NormalizeOutcome {
  return note === undefined ? { ok: true, events } : { ok: true, events, note };
}

/** A value or the refusal that stops the normalizer: lets field readers return early. */
export type Read<T> = { ok: true; value: T } | NormalizeFailure;

