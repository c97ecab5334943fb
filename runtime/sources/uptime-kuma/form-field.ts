import { reject, type NormalizeFailure, type Read } from '../outcome.ts';

/**
 * Uptime Kuma's "form-data" option posts multipart/form-data with one field, `data`,
 * holding the same JSON as the plain webhook. The HTTP layer parses the multipart
 * body; this reads the field.
 */

/** Larger than any real notification (about 3 kB), small enough to parse without worry. */
const FORM_FIELD_MAX_LENGTH = 1_048_576;
/** The nesting bound the design sets for every untrusted JSON document. */
const FORM_FIELD_MAX_DEPTH = 64;

/** A refusal thrown by parseUptimeKumaFormField; `code`, `reason` and `path` as in a NormalizeFailure. */
export class FormFieldError extends Error {
  readonly code = 'BAD_FORM_FIELD' as const;
  readonly path = 'data';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FormFieldError';
  }
}

/** The outcome form, for callers that keep errors as values (the normalizer does). */
export function readUptimeKumaFormField(data: unknown): Read<unknown> {
  if (typeof data !== 'string') return fail('the form field "data" must be a text holding JSON');
  if (data.length > FORM_FIELD_MAX_LENGTH) return fail(`the form field "data" is longer than ${FORM_FIELD_MAX_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (e) {
    const detail = e instanceof SyntaxError ? `: ${e.message.slice(0, 200)}` : '';
    return fail(`the form field "data" is not valid JSON${detail}`);
  }
  if (depthOver(value, FORM_FIELD_MAX_DEPTH)) return fail(`the form field "data" nests deeper than ${FORM_FIELD_MAX_DEPTH} levels`);
  return { ok: true, value };
}

/**
 * The JSON document in the `data` field of Uptime Kuma's form-data webhook.
 * Throws FormFieldError (code BAD_FORM_FIELD) when the field is not a bounded JSON text.
 */
export function parseUptimeKumaFormField(data: string): unknown {
  const read = readUptimeKumaFormField(data);
  if (!read.ok) throw new FormFieldError(read.reason);
  return read.value;
}

function fail(reason: string): NormalizeFailure {
  return reject('BAD_FORM_FIELD', reason, 'data');
}

/** Iterative, so a hostile document cannot exhaust the stack while being measured. */
function depthOver(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
