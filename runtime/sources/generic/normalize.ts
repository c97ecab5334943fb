import type { EventStatus, NormalizedEvent } from '../../../schemas/event.ts';
import { EVENT_LIMITS } from '../../../schemas/event.ts';
import { boundMessage, boundName, boundText, buildLabels, scalarText } from '../bounds.ts';
import { atPath, describe, idText, isObject, ownEntries } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome, type Read } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { linkUrl } from '../url.ts';
import { GENERIC_DEFAULTS, GenericOptions } from './options.ts';
import { checkGenericBody } from './payload.ts';

/** Any JSON object, mapped field by field with dotted paths (see options.ts). */

const ID_MAX = 256;
/** Unix times below this are seconds (1e11 s is the year 5138), above it milliseconds. */
const SECONDS_BELOW = 1e11;

const absent = (value: unknown): boolean => value === undefined || value === null;

function lookup(body: unknown, path: unknown): unknown {
  return typeof path === 'string' && path !== '' ? atPath(body, path) : undefined;
}

/** A scalar field as text; absent gives null, an object or array is refused. */
function scalarAt(body: unknown, path: string | null, what: string): Read<string | null> {
  const value = lookup(body, path);
  if (absent(value)) return { ok: true, value: null };
  const text = scalarText(value);
  if (text === null) return reject('BAD_FIELD', `${path} (${what}) must be a text, got ${describe(value)}`, path ?? undefined);
  return { ok: true, value: text };
}

function readStatus(body: unknown, options: GenericOptions): Read<EventStatus> {
  const path = options.status;
  const value = lookup(body, path);
  if (absent(value)) return reject('MISSING_FIELD', `${path} (the status) is required`, path);
  const text = scalarText(value);
  const wanted = text !== null && text.length <= 64 ? text.trim().toLowerCase() : null;
  const map = isObject(options.statusMap) ? options.statusMap : {};
  for (const key of Object.keys(map)) {
    if (key.toLowerCase() === wanted) return { ok: true, value: map[key]! };
  }
  return reject('BAD_FIELD', `${path} must be one of ${Object.keys(map).join(', ')}, got ${describe(value)}`, path);
}

function readTime(body: unknown, path: string | null, receivedAt: number): Read<string> {
  const value = lookup(body, path);
  // A source that does not date its alerts: the reception time is the best we know.
  if (absent(value)) return eventTime(receivedAt, receivedAt, 'receivedAt', receivedAt);
  let ms: number | null = null;
  if (typeof value === 'string') ms = parseDateTime(value);
  else if (typeof value === 'number' && Number.isFinite(value)) ms = Math.round(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value);
  return eventTime(ms, value, path ?? 'at', receivedAt);
}

function normalizeGeneric(body: unknown, options: GenericOptions, receivedAt: number, sourceName?: string): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be a JSON object, got ${describe(body)}`);
  const refused = checkGenericBody(body, options);
  if (refused !== null) return refused;
  const source = sourceName ?? (typeof options.source === 'string' ? options.source : 'generic');

  const status = readStatus(body, options);
  if (!status.ok) return status;
  const service = scalarAt(body, options.service, 'the service');
  if (!service.ok) return service;
  const host = scalarAt(body, options.host, 'the host');
  if (!host.ok) return host;
  const message = scalarAt(body, options.message, 'the message');
  if (!message.ok) return message;
  const at = readTime(body, options.at, receivedAt);
  if (!at.ok) return at;

  const rawId = lookup(body, options.fingerprint);
  let fingerprint: string;
  if (!absent(rawId)) {
    const id = idText(rawId);
    if (id === null || id.length > ID_MAX) {
      return reject('BAD_FIELD', `${options.fingerprint} (the alert id) must be a text of at most ${ID_MAX} characters or an integer, got ${describe(rawId)}`, options.fingerprint ?? undefined);
    }
    fingerprint = `${source}:${id}`;
  } else {
    const serviceName = boundName(service.value);
    const hostName = boundName(host.value);
    if (serviceName === null && hostName === null) {
      return reject('MISSING_FIELD', `${options.fingerprint ?? 'the alert id'} is required when the body names neither a service nor a host`, options.fingerprint ?? undefined);
    }
    fingerprint = boundText(`${source}:${hostName ?? '-'}:${serviceName ?? '-'}`, EVENT_LIMITS.fingerprintLength);
  }

  const labels = lookup(body, options.labels);
  const event: NormalizedEvent = {
    source,
    kind: 'alert',
    status: status.value,
    service: boundName(service.value),
    host: boundName(host.value),
    severity: severityOf(lookup(body, options.severity)),
    message: boundMessage(message.value ?? ''),
    at: at.value,
    fingerprint,
    labels: isObject(labels) ? buildLabels(ownEntries(labels)) : {},
    url: linkUrl(lookup(body, options.url)),
  };
  return accept([event]);
}

export const generic: Normalizer<GenericOptions> = {
  source: 'generic',
  defaults: GENERIC_DEFAULTS,
  optionsSchema: GenericOptions,
  normalize: normalizeGeneric,
};
