import type { EventStatus, NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels } from '../bounds.ts';
import { describe, idText, isObject, optionalText, own, type JsonObject } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { firstTerm, type TermResolvers } from '../terms.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { linkUrl, urlHost } from '../url.ts';
import { readUptimeKumaFormField } from './form-field.ts';
import { UPTIME_KUMA_DEFAULTS, UptimeKumaOptions } from './options.ts';

/**
 * Uptime Kuma (1.23 and 2.x) posts `{heartbeat, monitor, msg}`. A notification
 * without a heartbeat is the "Test" button or a certificate-expiry notice: it is
 * answered with no event. Field differences between versions (1.23 `duration`,
 * 2.x `retries`, `lastDownTime`, `path`) do not matter to what is read here.
 */

const STATUS: readonly EventStatus[] = ['down', 'up', 'pending', 'maintenance'];

export const NO_HEARTBEAT_NOTE =
  'uptime-kuma notification without a heartbeat (test button or certificate notice): nothing to run';

interface Monitor {
  name: string | null;
  obj: JsonObject;
  tags: Array<{ name: string; value: unknown }>;
}

const RESOLVERS: TermResolvers<Monitor> = {
  tag: (m, wanted) => {
    if (wanted === undefined) return null;
    const lower = wanted.toLowerCase();
    for (const tag of m.tags) if (tag.name.toLowerCase() === lower && typeof tag.value === 'string' && tag.value !== '') return tag.value;
    return null;
  },
  name: (m, part) => {
    if (m.name === null) return null;
    if (part === undefined) return m.name;
    const words = m.name.trim().split(/\s+/);
    if (words.length < 2) return null;
    if (part === 'first-word') return words[0]!;
    if (part === 'last-word') return words[words.length - 1]!;
    return null;
  },
  group: (m) => groupName(m.obj),
  hostname: (m) => optionalText(own(m.obj, 'hostname')),
  'url-host': (m) => urlHost(own(m.obj, 'url')),
  'docker-container': (m) => optionalText(own(m.obj, 'docker_container')),
};

/** 2.x sends `path` (group names down to the monitor); 1.23 only `pathName`, "Group / Monitor". */
function groupName(monitor: JsonObject): string | null {
  const path = own(monitor, 'path');
  if (Array.isArray(path) && path.length >= 2) return optionalText(path[path.length - 2]);
  const pathName = optionalText(own(monitor, 'pathName'));
  if (pathName === null) return null;
  const parts = pathName.split(' / ');
  return parts.length >= 2 ? optionalText(parts[parts.length - 2]) : null;
}

function readTags(monitor: JsonObject): Monitor['tags'] {
  const raw = own(monitor, 'tags');
  if (!Array.isArray(raw)) return [];
  const tags: Monitor['tags'] = [];
  for (const tag of raw.slice(0, 64)) {
    if (!isObject(tag)) continue;
    const name = optionalText(own(tag, 'name'));
    if (name !== null) tags.push({ name, value: own(tag, 'value') });
  }
  return tags;
}

export function normalizeUptimeKuma(body: unknown, options: UptimeKumaOptions, receivedAt: number): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be a JSON object {heartbeat, monitor, msg}, got ${describe(body)}`);
  if (!Object.hasOwn(body, 'heartbeat') && !Object.hasOwn(body, 'monitor') && Object.hasOwn(body, 'data')) {
    // The form-data variant, handed over as its parsed fields.
    const field = readUptimeKumaFormField(own(body, 'data'));
    if (!field.ok) return field;
    if (isObject(field.value) && Object.hasOwn(field.value, 'data') && !Object.hasOwn(field.value, 'heartbeat')) {
      return reject('BAD_FORM_FIELD', 'the form field "data" must hold the notification itself, not another form', 'data');
    }
    return normalizeUptimeKuma(field.value, options, receivedAt);
  }

  const heartbeat = own(body, 'heartbeat');
  if (heartbeat === null || heartbeat === undefined) {
    if (!Object.hasOwn(body, 'msg') && !Object.hasOwn(body, 'heartbeat')) {
      return reject('MISSING_FIELD', 'the body has neither heartbeat nor msg: it is not an Uptime Kuma notification', 'heartbeat');
    }
    return accept([], NO_HEARTBEAT_NOTE);
  }
  if (!isObject(heartbeat)) return reject('NOT_AN_OBJECT', `heartbeat must be an object or null, got ${describe(heartbeat)}`, 'heartbeat');
  const monitor = own(body, 'monitor');
  if (!isObject(monitor)) return reject('NOT_AN_OBJECT', `monitor must be an object when heartbeat is present, got ${describe(monitor)}`, 'monitor');

  const code = own(heartbeat, 'status');
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 3) {
    return reject('BAD_FIELD', `heartbeat.status must be 0, 1, 2 or 3, got ${describe(code)}`, 'heartbeat.status');
  }

  const id = idText(own(monitor, 'id')) ?? idText(own(heartbeat, 'monitorID'));
  if (id === null) return reject('MISSING_FIELD', 'monitor.id (or heartbeat.monitorID) must be a number or a non-empty text', 'monitor.id');
  if (id.length > 64) return reject('BAD_FIELD', 'monitor.id is longer than 64 characters', 'monitor.id');

  // heartbeat.time is UTC: Uptime Kuma derives localDateTime from it with the server
  // zone (timezoneOffset), so the offset must not be applied to `time` itself.
  const time = own(heartbeat, 'time');
  if (time === undefined || time === null) return reject('MISSING_FIELD', 'heartbeat.time is required', 'heartbeat.time');
  const at = eventTime(typeof time === 'string' ? parseDateTime(time, 0) : null, time, 'heartbeat.time', receivedAt);
  if (!at.ok) return at;

  const context: Monitor = { name: optionalText(own(monitor, 'name')), obj: monitor, tags: readTags(monitor) };
  const message = optionalText(own(heartbeat, 'msg')) ?? optionalText(own(body, 'msg')) ?? '';

  const event: NormalizedEvent = {
    source: 'uptime-kuma',
    kind: 'alert',
    status: STATUS[code]!,
    service: boundName(firstTerm(options.serviceFrom, RESOLVERS, context)),
    host: boundName(firstTerm(options.hostFrom, RESOLVERS, context)),
    severity: severityOf(firstTerm(options.severityFrom, RESOLVERS, context)),
    message: boundMessage(message),
    at: at.value,
    fingerprint: `uptime-kuma:monitor:${id}`,
    labels: buildLabels([
      ['monitor_id', id],
      ['monitor_name', context.name],
      ['monitor_type', own(monitor, 'type')],
      ['important', own(heartbeat, 'important')],
      ...context.tags.map((t) => [`tag.${t.name}`, t.value ?? ''] as const),
    ]),
    url: linkUrl(own(monitor, 'url')),
  };
  return accept([event]);
}

export const uptimeKuma: Normalizer<UptimeKumaOptions> = {
  source: 'uptime-kuma',
  defaults: UPTIME_KUMA_DEFAULTS,
  optionsSchema: UptimeKumaOptions,
  normalize: normalizeUptimeKuma,
};
