import { Type, type Static } from '@sinclair/typebox';
import { IdentityText, Nullable, TextMap } from '../payload-schema.ts';

/**
 * The webhook body of Alertmanager (payload version 4, as documented in its `webhook_config`
 * and as examples/alertmanager shows it). Labels are the identity of an alert (its fingerprint
 * is their hash) and give the service and host: texts without control characters, keys too.
 * Annotations are free texts for people. Other keys are allowed: Alertmanager may add some.
 *
 * Times (`startsAt`, `endsAt`) are left to ../time.ts, which reads every layout the tools send
 * and says BAD_TIMESTAMP or FUTURE_TIMESTAMP.
 */

const Labels = Nullable(TextMap(IdentityText({ expected: 'a text' }), { identityKeys: true }));
const Annotations = Nullable(TextMap(Type.String({ expected: 'a text' }), { identityKeys: false }));
const Status = Type.Unsafe<'firing' | 'resolved'>({ type: 'string', enum: ['firing', 'resolved'], expected: '"firing" or "resolved"' });

export const AlertmanagerAlert = Type.Object({
  status: Status,
  labels: Type.Optional(Labels),
  annotations: Type.Optional(Annotations),
  startsAt: Type.Optional(Type.Unknown()),
  endsAt: Type.Optional(Type.Unknown()),
  generatorURL: Type.Optional(Nullable(Type.String({ expected: 'a URL' }))),
  fingerprint: IdentityText({ minLength: 1, maxLength: 256, expected: 'a text of 1 to 256 characters' }),
});

export const AlertmanagerPayload = Type.Object({
  version: Type.Unsafe<'4'>({ const: '4', expected: '"4"' }),
  alerts: Type.Array(AlertmanagerAlert, { expected: 'an array of alerts' }),
  status: Type.Optional(Status),
  receiver: Type.Optional(Type.String({ expected: 'a text' })),
  groupKey: Type.Optional(Type.String({ expected: 'a text' })),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0, expected: 'a count' })),
  groupLabels: Type.Optional(Labels),
  commonLabels: Type.Optional(Labels),
  commonAnnotations: Type.Optional(Annotations),
  externalURL: Type.Optional(Type.String({ expected: 'a URL' })),
});

export type AlertmanagerAlert = Static<typeof AlertmanagerAlert>;
export type AlertmanagerPayload = Static<typeof AlertmanagerPayload>;
