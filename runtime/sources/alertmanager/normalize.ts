import type { NormalizedEvent } from '../../../schemas/event.ts';
import { boundMessage, boundName, buildLabels } from '../bounds.ts';
import { describe, isObject, optionalText, own, ownEntries } from '../fields.ts';
import type { Normalizer } from '../normalizer.ts';
import { accept, reject, type NormalizeOutcome, type Read } from '../outcome.ts';
import { severityOf } from '../severity.ts';
import { eventTime, parseDateTime } from '../time.ts';
import { linkUrl, stripPort } from '../url.ts';
import { checkBody } from '../payload-schema.ts';
import { ALERTMANAGER_DEFAULTS, AlertmanagerOptions } from './options.ts';
import { AlertmanagerPayload, type AlertmanagerAlert } from './payload.ts';

/**
 * Alertmanager webhook (payload version 4): one group per request, ONE EVENT PER
 * ALERT with the alert's own status. In a partial resolve the group stays "firing"
 * while one of its alerts is "resolved": the group status is therefore ignored.
 * The body is checked against its documented shape (payload.ts) before it is read.
 */

export const EMPTY_GROUP_NOTE = 'alertmanager group without alerts: nothing to run';

function firstText(obj: Readonly<Record<string, string>>, names: readonly string[]): string | null {
  for (const name of names) {
    const text = optionalText(own(obj, name));
    if (text !== null) return text;
  }
  return null;
}

function normalizeAlert(alert: AlertmanagerAlert, index: number, options: AlertmanagerOptions, receivedAt: number, source: string): Read<NormalizedEvent> {
  const path = `alerts[${index}]`;
  const labels = alert.labels ?? {};
  const annotations = alert.annotations ?? {};

  // A firing alert happened when it started; a resolved one when it ended.
  const timeKey = alert.status === 'firing' ? 'startsAt' : 'endsAt';
  const raw = alert[timeKey];
  if (raw === undefined || raw === null) return reject('MISSING_FIELD', `${path}.${timeKey} is required for a ${alert.status} alert`, `${path}.${timeKey}`);
  const at = eventTime(typeof raw === 'string' ? parseDateTime(raw) : null, raw, `${path}.${timeKey}`, receivedAt);
  if (!at.ok) return at;

  const host = firstText(labels, options.hostLabels);
  const message = firstText(annotations, options.messageAnnotations) ?? optionalText(own(labels, 'alertname')) ?? '';
  return {
    ok: true,
    value: {
      source,
      kind: 'alert',
      status: alert.status === 'firing' ? 'down' : 'up',
      service: boundName(firstText(labels, options.serviceLabels)),
      host: boundName(host !== null && options.stripPort ? stripPort(host) : host),
      severity: severityOf(firstText(labels, options.severityLabels)),
      message: boundMessage(message),
      at: at.value,
      fingerprint: `${source}:${alert.fingerprint}`,
      labels: buildLabels(ownEntries(labels)),
      url: linkUrl(alert.generatorURL),
    },
  };
}

/** `source`: the name the events carry, the configured source's (default `alertmanager`). */
function normalizeAlertmanager(body: unknown, options: AlertmanagerOptions, receivedAt: number, source = 'alertmanager'): NormalizeOutcome {
  if (!isObject(body)) return reject('NOT_AN_OBJECT', `the body must be an Alertmanager webhook object, got ${describe(body)}`);
  const refused = checkBody(AlertmanagerPayload, body);
  if (refused !== null) return refused;
  const { alerts } = body as AlertmanagerPayload;
  if (alerts.length > options.maxAlerts) {
    return reject('TOO_MANY_ALERTS', `the group carries ${alerts.length} alerts, more than the ${options.maxAlerts} accepted (lower max_alerts in the receiver)`, 'alerts');
  }
  if (alerts.length === 0) return accept([], EMPTY_GROUP_NOTE);

  const events: NormalizedEvent[] = [];
  for (let i = 0; i < alerts.length; i += 1) {
    const event = normalizeAlert(alerts[i]!, i, options, receivedAt, source);
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
