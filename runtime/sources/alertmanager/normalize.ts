import type { NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels } from '../bounds.ts';
import { describe, isObject, optionalText, own, ownEntries, type JsonObject } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome, type Read } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { linkUrl, stripPort } from '../url.ts';
import { ALERTMANAGER_DEFAULTS, AlertmanagerOptions } from './options.ts';

/**
 * Alertmanager webhook (payload version 4): one group per request, ONE EVENT PER
 * ALERT with the alert's own status. In a partial resolve the group stays "firing"
 * while one of its alerts is "resolved": the group status is therefore ignored.
 */

export const EMPTY_GROUP_NOTE = 'alertmanager group without alerts: nothing to run';

const FINGERPRINT_MAX = 256;

function firstText(obj: JsonObject, names: unknown): string | null {
  if (!Array.isArray(names)) return null;
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const text = optionalText(own(obj, name));
    if (text !== null) return text;
  }
  return null;
}

function optionalObject(parent: JsonObject, key: string, path: string): Read<JsonObject> {
  const value = own(parent, key);
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (!isObject(value)) return reject('NOT_AN_OBJECT', `${path} must be an object, got ${describe(value)}`, path);
  return { ok: true, value };
}

function normalizeAlert(alert: unknown, index: number, options: AlertmanagerOptions, receivedAt: number): Read<NormalizedEvent> {
  const path = `alerts[${index}]`;
  if (!isObject(alert)) return reject('NOT_AN_OBJECT', `${path} must be an object, got ${describe(alert)}`, path);

  const status = own(alert, 'status');
  if (status !== 'firing' && status !== 'resolved') {
    return reject('BAD_FIELD', `${path}.status must be "firing" or "resolved", got ${describe(status)}`, `${path}.status`);
  }
  const labels = optionalObject(alert, 'labels', `${path}.labels`);
  if (!labels.ok) return labels;
  const annotations = optionalObject(alert, 'annotations', `${path}.annotations`);
  if (!annotations.ok) return annotations;

  const fingerprint = optionalText(own(alert, 'fingerprint'));
  if (fingerprint === null) return reject('MISSING_FIELD', `${path}.fingerprint must be a non-empty text`, `${path}.fingerprint`);
  if (fingerprint.length > FINGERPRINT_MAX) {
    return reject('BAD_FIELD', `${path}.fingerprint is longer than ${FINGERPRINT_MAX} characters`, `${path}.fingerprint`);
  }

  // A firing alert happened when it started; a resolved one when it ended.
  const timeKey = status === 'firing' ? 'startsAt' : 'endsAt';
  const raw = own(alert, timeKey);
  if (raw === undefined || raw === null) return reject('MISSING_FIELD', `${path}.${timeKey} is required for a ${status} alert`, `${path}.${timeKey}`);
  const at = eventTime(typeof raw === 'string' ? parseDateTime(raw) : null, raw, `${path}.${timeKey}`, receivedAt);
  if (!at.ok) return at;

  const host = firstText(labels.value, options.hostLabels);
  const message = firstText(annotations.value, options.messageAnnotations) ?? optionalText(own(labels.value, 'alertname')) ?? '';
  return {
    ok: true,
    value: {
      source: 'alertmanager',
      kind: 'alert',
      status: status === 'firing' ? 'down' : 'up',
      service: boundName(firstText(labels.value, options.serviceLabels)),
      host: boundName(host !== null && options.stripPort ? stripPort(host) : host),
      severity: severityOf(firstText(labels.value, options.severityLabels)),
      message: boundMessage(message),
      at: at.value,
      fingerprint: `alertmanager:${fingerprint}`,
      labels: buildLabels(ownEntries(labels.value)),
      url: linkUrl(own(alert, 'generatorURL')),
    },
  };
}

export function normalizeAlertmanager(body: unknown, options: AlertmanagerOptions, receivedAt: number): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be an Alertmanager webhook object, got ${describe(body)}`);
  const version = own(body, 'version');
  if (version === undefined || version === null) return reject('MISSING_FIELD', 'version is required (Alertmanager sends "4")', 'version');
  if (version !== '4') return reject('BAD_FIELD', `version must be "4", got ${describe(version)}`, 'version');
  const alerts = own(body, 'alerts');
  if (alerts === undefined || alerts === null) return reject('MISSING_FIELD', 'alerts is required', 'alerts');
  if (!Array.isArray(alerts)) return reject('BAD_FIELD', `alerts must be an array, got ${describe(alerts)}`, 'alerts');
  if (alerts.length > options.maxAlerts) {
    return reject('TOO_MANY_ALERTS', `the group carries ${alerts.length} alerts, more than the ${options.maxAlerts} accepted (lower max_alerts in the receiver)`, 'alerts');
  }
  if (alerts.length === 0) return accept([], EMPTY_GROUP_NOTE);

  const events: NormalizedEvent[] = [];
  for (let i = 0; i < alerts.length; i += 1) {
    const event = normalizeAlert(alerts[i], i, options, receivedAt);
    if (!event.ok) return event;
    events.push(event.value);
  }
  return accept(events);
}

export const alertmanager: Normalizer<AlertmanagerOptions> = {
  source: 'alertmanager',
  defaults: ALERTMANAGER_DEFAULTS,
  optionsSchema: AlertmanagerOptions,
  normalize: normalizeAlertmanager,
};
