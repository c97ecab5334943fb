import { Type, type Static } from '@sinclair/typebox';

/**
 * Which Alertmanager labels and annotations give the event's fields. Each list is
 * tried in order; the first label (annotation) with a non-empty text wins.
 */
const Names = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 16, description });

export const AlertmanagerOptions = Type.Object(
  {
    serviceLabels: Names('Labels giving event.service (default service, then job).'),
    hostLabels: Names('Labels giving event.host (default instance).'),
    stripPort: Type.Boolean({ description: 'Remove a trailing :port from the host label (instance is usually host:port).' }),
    severityLabels: Names('Labels giving event.severity (default severity).'),
    messageAnnotations: Names('Annotations giving event.message (default summary, then description, then message); the alertname label is the last resort.'),
    maxAlerts: Type.Integer({ minimum: 1, maximum: 10_000, description: 'A group with more alerts than this is refused (TOO_MANY_ALERTS).' }),
  },
  { additionalProperties: false },
);

export type AlertmanagerOptions = Static<typeof AlertmanagerOptions>;

export const ALERTMANAGER_DEFAULTS: AlertmanagerOptions = {
  serviceLabels: ['service', 'job'],
  hostLabels: ['instance'],
  stripPort: true,
  severityLabels: ['severity'],
  messageAnnotations: ['summary', 'description', 'message'],
  maxAlerts: 1000,
};
