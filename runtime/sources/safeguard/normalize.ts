import { Type, type Static } from '@sinclair/typebox';
import { argsHash } from '../../../engine/tools/args-hash.ts';
import type { NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels, scalarText } from '../bounds.ts';
import { describe, idText, isObject, own } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome } from '../outcome.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { firstMalformed } from '../well-formed.ts';

/**
 * A SAFEGUARD request (seed 004 section 5.2): an agent asks for an L3 tool to run once people
 * approve it. Body: `{ tool_name, arguments, context?, request_id?, requested_at? }`; `context`
 * may say `reason`, `requested_by`, `ticket_id`, `host`. The event is `pending`, its service the
 * tool's name, its `data` the arguments and the context as they came (the playbook checks the
 * tool and its arguments against the tool catalog before anything runs).
 *
 * A request never carries a secret: an L3 tool generates its own (ad_reset_password returns the
 * new password, which the journal keeps sealed), and a password posted here would be kept in the
 * event records in clear. An argument whose name says secret is refused with SECRET_FIELD.
 */
export const SafeguardOptions = Type.Object(
  {
    maxArgumentBytes: Type.Integer({ minimum: 64, maximum: 65536, description: 'The largest arguments object accepted, as JSON bytes.' }),
  },
  { additionalProperties: false },
);
export type SafeguardOptions = Static<typeof SafeguardOptions>;

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Names of fields that hold secrets: refused in a request (the key rules of the trace's redaction, in short). */
const SECRET_NAME = /pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential|^pin$|otp/i;

function secretField(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = secretField(v, `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_NAME.test(k)) return `${path}.${k}`;
    const found = secretField(v, `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

function normalizeSafeguard(body: unknown, options: SafeguardOptions, receivedAt: number, sourceName?: string): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be a JSON object, got ${describe(body)}`);
  const malformed = firstMalformed(body);
  if (malformed) return malformed;
  const source = sourceName ?? 'safeguard';
  const tool = own(body, 'tool_name');
  if (tool === undefined || tool === null) return reject('MISSING_FIELD', 'tool_name (the tool to run once approved) is required', 'tool_name');
  if (typeof tool !== 'string' || !TOOL_NAME.test(tool)) return reject('BAD_FIELD', `tool_name must be a tool name (a-z, 0-9, _), got ${describe(tool)}`, 'tool_name');
  const args = own(body, 'arguments');
  if (!isObject(args)) return reject(args === undefined ? 'MISSING_FIELD' : 'NOT_AN_OBJECT', 'arguments must be the JSON object of the tool\'s arguments', 'arguments');
  if (JSON.stringify(args).length > options.maxArgumentBytes) return reject('BAD_FIELD', `arguments are larger than ${options.maxArgumentBytes} bytes of JSON`, 'arguments');
  const secret = secretField(args, 'arguments');
  if (secret) return reject('SECRET_FIELD', `${secret} looks like a secret: a SAFEGUARD request carries none (the L3 tool generates its own, kept sealed)`, secret);
  const rawContext = own(body, 'context');
  if (rawContext !== undefined && rawContext !== null && !isObject(rawContext)) return reject('NOT_AN_OBJECT', 'context must be a JSON object', 'context');
  const context = isObject(rawContext) ? rawContext : {};
  const contextSecret = secretField(context, 'context');
  if (contextSecret) return reject('SECRET_FIELD', `${contextSecret} looks like a secret: a SAFEGUARD request carries none`, contextSecret);

  const rawAt = own(body, 'requested_at');
  const at = eventTime(rawAt === undefined || rawAt === null ? receivedAt : typeof rawAt === 'string' ? parseDateTime(rawAt) : null, rawAt, 'requested_at', receivedAt);
  if (!at.ok) return at;
  const rawId = own(body, 'request_id');
  const id = rawId === undefined || rawId === null ? null : idText(rawId);
  if (rawId !== undefined && rawId !== null && (id === null || id.length > 128)) return reject('BAD_FIELD', `request_id must be a text of at most 128 characters or an integer, got ${describe(rawId)}`, 'request_id');
  // The same tool with the same arguments is the same request, unless the sender names it.
  const fingerprint = `${source}:${id ?? `${tool}:${argsHash(args).slice('sha256:'.length, 'sha256:'.length + 32)}`}`;
  const reason = scalarText(own(context, 'reason'));
  const labels = buildLabels(['requested_by', 'ticket_id', 'agent'].flatMap((k) => {
    const v = scalarText(own(context, k));
    return v === null ? [] : [[k, v] as const];
  }));
  const event: NormalizedEvent = {
    source,
    kind: 'alert',
    status: 'pending',
    service: tool,
    host: boundName(scalarText(own(context, 'host'))),
    severity: 'warning',
    message: boundMessage(reason ?? `${tool} requested`),
    at: at.value,
    fingerprint,
    labels,
    url: null,
    data: { arguments: args, context },
  };
  return accept([event]);
}

export const safeguard: Normalizer<SafeguardOptions> = {
  source: 'safeguard',
  defaults: { maxArgumentBytes: 16384 },
  optionsSchema: SafeguardOptions,
  normalize: normalizeSafeguard,
};
