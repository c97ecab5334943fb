import type { EventStatus, NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels } from '../bounds.ts';
import { describe, idText, isObject, optionalText, own, type JsonObject } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome, type Read } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { firstTerm, type TermResolvers } from '../terms.ts';
import { eventTime, parseDateTime, parseUnixSeconds } from '../time.ts';
import { linkUrl } from '../url.ts';
import { checkBody } from '../payload-schema.ts';
import { OBSERVIUM_DEFAULTS, ObserviumOptions } from './options.ts';
import { observiumPayloadFor } from './payload.ts';
import { detectObserviumTransport } from './transport.ts';

/**
 * Observium CE alert notifications, from the `webhook` and `webhook-json` transports.
 * ALERT → down, RECOVER → up (configurable). The base64 graph of the `webhook`
 * transport is never read, so it never reaches the event. The body is checked against its
 * documented shape (payload.ts) before it is read.
 */

const ID_MAX = 64;

const text = (body: JsonObject, key: string): string | null => optionalText(own(body, key));

const RESOLVERS: TermResolvers<JsonObject> = {
  'entity-name': (b, arg) => {
    if (arg === 'unless-device' && (text(b, 'ENTITY_TYPE') ?? 'device') === 'device') return null;
    return arg === undefined || arg === 'unless-device' ? text(b, 'ENTITY_NAME') : null;
  },
  'entity-description': (b) => text(b, 'ENTITY_DESCRIPTION'),
  'device-hostname': (b) => text(b, 'DEVICE_HOSTNAME'),
  'device-sysname': (b) => text(b, 'DEVICE_SYSNAME'),
  'device-description': (b) => text(b, 'DEVICE_DESCRIPTION'),
  field: (b, key) => (key === undefined || key === 'ENTITY_GRAPH_BASE64' ? null : text(b, key)),
};

/** Facts kept as labels; HTML links, emoji and graphs are left out. */
const LABEL_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['alert_id', 'ALERT_ID'],
  ['entity_type', 'ENTITY_TYPE'],
  ['entity_id', 'ENTITY_ID'],
  ['entity_name', 'ENTITY_NAME'],
  ['entity_description', 'ENTITY_DESCRIPTION'],
  ['device_id', 'DEVICE_ID'],
  ['device_type', 'DEVICE_TYPE'],
  ['device_os', 'DEVICE_OS'],
  ['device_hardware', 'DEVICE_HARDWARE'],
  ['device_location', 'DEVICE_LOCATION'],
  ['conditions', 'CONDITIONS'],
  ['metrics', 'METRICS'],
  ['duration', 'DURATION'],
];

function boundedId(body: JsonObject, key: string, required: boolean): Read<string | null> {
  const raw = own(body, key);
  const id = idText(raw);
  if (id === null) {
    if (!required && (raw === undefined || raw === null || raw === '')) return { ok: true, value: null };
    return reject(required && (raw === undefined || raw === null) ? 'MISSING_FIELD' : 'BAD_FIELD', `${key} must be a number or a non-empty text, got ${describe(raw)}`, key);
  }
  if (id.length > ID_MAX) return reject('BAD_FIELD', `${key} is longer than ${ID_MAX} characters`, key);
  return { ok: true, value: id };
}

function readStatus(body: JsonObject, stateMap: Readonly<Record<string, EventStatus>>): Read<{ state: string; status: EventStatus }> {
  const raw = own(body, 'ALERT_STATE');
  if (raw === undefined || raw === null) return reject('MISSING_FIELD', 'ALERT_STATE is required (ALERT or RECOVER)', 'ALERT_STATE');
  const state = typeof raw === 'string' && raw.length <= 32 ? raw.trim().toUpperCase() : null;
  if (state === null || !isObject(stateMap) || !Object.hasOwn(stateMap, state)) {
    const known = isObject(stateMap) ? Object.keys(stateMap).join(', ') : '';
    return reject('BAD_FIELD', `ALERT_STATE must be one of ${known}, got ${describe(raw)}`, 'ALERT_STATE');
  }
  return { ok: true, value: { state, status: stateMap[state]! } };
}

/** ALERT_UNIXTIME first (a number from `webhook`, a text from `webhook-json`), then the RFC 3339 form. */
function readTime(body: JsonObject, receivedAt: number): Read<string> {
  for (const key of ['ALERT_UNIXTIME', 'ALERT_TIMESTAMP_RFC3339', 'ALERT_TIMESTAMP']) {
    const raw = own(body, key);
    if (raw === undefined || raw === null || raw === '') continue;
    const ms = key === 'ALERT_UNIXTIME' ? parseUnixSeconds(raw) : typeof raw === 'string' ? parseDateTime(raw) : null;
    return eventTime(ms, raw, key, receivedAt);
  }
  return reject('MISSING_FIELD', 'ALERT_UNIXTIME (or ALERT_TIMESTAMP_RFC3339) is required', 'ALERT_UNIXTIME');
}

/** `source`: the name the events carry, the configured source's (default `observium`). */
function normalizeObservium(body: unknown, options: ObserviumOptions, receivedAt: number, source = 'observium'): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be an Observium alert object, got ${describe(body)}`);
  const refused = checkBody(observiumPayloadFor(options), body);
  if (refused !== null) return refused;
  const status = readStatus(body, options.stateMap);
  if (!status.ok) return status;
  const alertId = boundedId(body, 'ALERT_ID', true);
  if (!alertId.ok) return alertId;
  const entityType = boundedId(body, 'ENTITY_TYPE', false);
  if (!entityType.ok) return entityType;
  const entityId = boundedId(body, 'ENTITY_ID', false);
  if (!entityId.ok) return entityId;
  const deviceId = boundedId(body, 'DEVICE_ID', false);
  if (!deviceId.ok) return deviceId;
  const at = readTime(body, receivedAt);
  if (!at.ok) return at;

  // ALERT_ID is Observium's alert entry: one rule on one entity. The entity part keeps
  // syslog matches (whose ALERT_ID is the rule) apart per device.
  const kind = status.value.state === 'SYSLOG' ? 'syslog' : 'alert';
  const entity = entityId.value ?? deviceId.value;
  const fingerprint = `${source}:${kind}:${alertId.value}${entity === null ? '' : `:${entityType.value ?? 'device'}:${entity}`}`;

  const event: NormalizedEvent = {
    source,
    kind: 'alert',
    status: status.value.status,
    service: boundName(firstTerm(options.serviceFrom, RESOLVERS, body)),
    host: boundName(firstTerm(options.hostFrom, RESOLVERS, body)),
    severity: severityOf(own(body, 'ALERT_SEVERITY')),
    message: boundMessage(text(body, 'ALERT_MESSAGE') ?? text(body, 'TITLE') ?? ''),
    at: at.value,
    fingerprint,
    labels: buildLabels([
      ...LABEL_FIELDS.map(([label, key]) => [label, own(body, key)] as const),
      ['observium_transport', detectObserviumTransport(body)],
    ]),
    url: linkUrl(own(body, 'ALERT_URL')) ?? linkUrl(own(body, 'ENTITY_URL')),
  };
  return accept([event]);
}

export const observium: Normalizer<ObserviumOptions> = {
  source: 'observium',
  defaults: OBSERVIUM_DEFAULTS,
  optionsSchema: ObserviumOptions,
  normalize: normalizeObservium,
};
