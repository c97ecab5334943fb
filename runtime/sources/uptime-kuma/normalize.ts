import type { EventStatus, NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels } from '../bounds.ts';
import { describe, idText, isObject, optionalText, own, type JsonObject } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { firstTerm, type TermResolvers } from '../terms.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { linkUrl, urlHost } from '../url.ts';
import { checkBody } from '../payload-schema.ts';
import { readUptimeKumaFormField } from './form-field.ts';
import { UPTIME_KUMA_DEFAULTS, UptimeKumaOptions } from './options.ts';
import { UptimeKumaPayload } from './payload.ts';

/**
 * Uptime Kuma (1.23 and 2.x) posts `{heartbeat, monitor, msg}`. A notification
 * without a heartbeat is the "Test" button or a certificate-expiry notice: it is
 * answered with no event. Field differences between versions (1.23 `duration`,
 * 2.x `retries`, `lastDownTime`, `path`) do not matter to what is read here. The body is
 * checked against its documented shape (payload.ts) before it is read.
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

/** `source`: the name the events carry, the configured source's (default `uptime-kuma`). */
function normalizeUptimeKuma(body: unknown, options: UptimeKumaOptions, receivedAt: number, source = 'uptime-kuma'): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be a JSON object {heartbeat, monitor, msg}, got ${describe(body)}`);
  if (!Object.hasOwn(body, 'heartbeat') && !Object.hasOwn(body, 'monitor') && Object.hasOwn(body, 'data')) {
    // The form-data variant, handed over as its parsed fields.
    const field = readUptimeKumaFormField(own(body, 'data'));
    if (!field.ok) return field;
    if (isObject(field.value) && Object.hasOwn(field.value, 'data') && !Object.hasOwn(field.value, 'heartbeat')) {
      return reject('BAD_FORM_FIELD', 'the form field "data" must hold the notification itself, not another form', 'data');
    }
    return normalizeUptimeKuma(field.value, options, receivedAt, source);
  }
  const refused = checkBody(UptimeKumaPayload, body);
  if (refused !== null) return refused;
  const payload = body as UptimeKumaPayload;

  const heartbeat = payload.heartbeat;
  if (heartbeat === null || heartbeat === undefined) {
    if (!Object.hasOwn(body, 'msg') && !Object.hasOwn(body, 'heartbeat')) {
      return reject('MISSING_FIELD', 'the body has neither heartbeat nor msg: it is not an Uptime Kuma notification', 'heartbeat');
    }
    return accept([], NO_HEARTBEAT_NOTE);
  }
  const monitor = payload.monitor;
  if (monitor === null || monitor === undefined) return reject('NOT_AN_OBJECT', `monitor must be an object when heartbeat is present, got ${describe(monitor)}`, 'monitor');

  const id = idText(monitor.id) ?? idText(heartbeat.monitorID);
  if (id === null) return reject('MISSING_FIELD', 'monitor.id (or heartbeat.monitorID) must be a number or a non-empty text', 'monitor.id');

  // heartbeat.time is UTC: Uptime Kuma derives localDateTime from it with the server
  // zone (timezoneOffset), so the offset must not be applied to `time` itself.
  const time = heartbeat.time;
  if (time === undefined || time === null) return reject('MISSING_FIELD', 'heartbeat.time is required', 'heartbeat.time');
  const at = eventTime(typeof time === 'string' ? parseDateTime(time, 0) : null, time, 'heartbeat.time', receivedAt);
  if (!at.ok) return at;

  const context: Monitor = { name: optionalText(monitor.name), obj: monitor, tags: readTags(monitor) };
  const message = optionalText(heartbeat.msg) ?? optionalText(payload.msg) ?? '';

  const event: NormalizedEvent = {
    source,
    kind: 'alert',
    status: STATUS[heartbeat.status]!,
    service: boundName(firstTerm(options.serviceFrom, RESOLVERS, context)),
    host: boundName(firstTerm(options.hostFrom, RESOLVERS, context)),
    severity: severityOf(firstTerm(options.severityFrom, RESOLVERS, context)),
    message: boundMessage(message),
    at: at.value,
    fingerprint: `${source}:monitor:${id}`,
    labels: buildLabels([
      ['monitor_id', id],
      ['monitor_name', context.name],
      ['monitor_type', monitor.type],
      ['important', heartbeat.important],
      ...context.tags.map((t) => [`tag.${t.name}`, t.value ?? ''] as const),
    ]),
    url: linkUrl(monitor.url),
  };
  return accept([event]);
}

export const uptimeKuma: Normalizer<UptimeKumaOptions> = {
  source: 'uptime-kuma',
  defaults: UPTIME_KUMA_DEFAULTS,
  optionsSchema: UptimeKumaOptions,
  normalize: normalizeUptimeKuma,
};
