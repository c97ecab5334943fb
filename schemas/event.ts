import { Type, type Static } from '@sinclair/typebox';

/**
 * The one shape every webhook source is turned into. Playbooks read it as `event.*`
 * (`event.service`, `event.host`, `event.status`, `event.message`, `event.at`...).
 * Every string in it came from outside: bounded here, trusted nowhere (service and
 * host are checked against the intent allowlist before they can become a target).
 */

/** Bounds shared by the schema and the normalizers that fill it. */
export const EVENT_LIMITS = {
  sourceLength: 64,
  nameLength: 256,
  messageLength: 4096,
  fingerprintLength: 512,
  urlLength: 2048,
  labelCount: 64,
  labelKeyLength: 128,
  labelValueLength: 1024,
} as const;

export const EVENT_STATUSES = ['down', 'up', 'pending', 'maintenance', 'unknown'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

const EVENT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

const NullableName = (description: string) =>
  Type.Union([Type.String({ minLength: 1, maxLength: EVENT_LIMITS.nameLength }), Type.Null()], { description });

export const NormalizedEvent = Type.Object(
  {
    source: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
      description: 'Which webhook source produced the event: uptime-kuma, alertmanager, observium, or the name of a generic source.',
    }),
    kind: Type.Union([Type.Literal('alert'), Type.Literal('test')], {
      description: "'alert' for a real notification. 'test' is reserved for synthetic events (dry-run); the normalizers emit only 'alert' and answer a tool's test button with no event at all.",
    }),
    status: Type.Union(
      EVENT_STATUSES.map((s) => Type.Literal(s)),
      {
        description: "State of the monitored thing as the tool reported it: 'down' (failing, firing), 'up' (recovered, resolved), 'pending' (failing but not yet confirmed), 'maintenance', or 'unknown' (a notice without a state, such as an Observium syslog match).",
      },
    ),
    service: NullableName(
      'The monitored service (for example nginx), or null when the source does not say. Untrusted: it becomes a target only if it is a member of the intent allowlist.',
    ),
    host: NullableName('The machine the service runs on (for example web-1), without a port, or null when the source does not say. Untrusted, like service.'),
    severity: Type.Union([...EVENT_SEVERITIES.map((s) => Type.Literal(s)), Type.Null()], {
      description: 'Severity as the tool graded it, mapped to critical / warning / info; null when the tool gives none or one we cannot map.',
    }),
    message: Type.String({
      maxLength: EVENT_LIMITS.messageLength,
      description: 'Human text of the alert, truncated to 4096 characters (a truncated text ends with …). Attacker-controlled: it may reach a prompt, never a command.',
    }),
    at: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
      description: 'When the monitoring tool saw the change, ISO 8601 in UTC with milliseconds (2026-11-21T23:03:39.623Z). May be old: the stale gate decides; never more than one day ahead of reception.',
    }),
    fingerprint: Type.String({
      minLength: 1,
      maxLength: EVENT_LIMITS.fingerprintLength,
      description: 'Stable identity of the alert across repeats and its resolution, prefixed by the source: uptime-kuma:monitor:1, alertmanager:20ede38dd603808f, observium:alert:345:device:12.',
    }),
    labels: Type.Record(Type.String(), Type.String({ maxLength: EVENT_LIMITS.labelValueLength }), {
      maxProperties: EVENT_LIMITS.labelCount,
      propertyNames: { type: 'string', minLength: 1, maxLength: EVENT_LIMITS.labelKeyLength },
      description: 'Extra string facts from the source (Alertmanager labels, Uptime Kuma tags as tag.<name>, Observium entity and device details). At most 64, keys up to 128 and values up to 1024 characters; keys such as __proto__ are dropped.',
    }),
    url: Type.Union([Type.String({ minLength: 1, maxLength: EVENT_LIMITS.urlLength }), Type.Null()], {
      description: 'A link for people: the alert page in the monitoring tool (Observium), the rule source (Alertmanager generatorURL), or the monitored URL (Uptime Kuma); null when none.',
    }),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Structured facts a source passes as they came, bounded by it: the safeguard source puts the requested tool\'s arguments and the request\'s context here. Untrusted, like every field.',
      }),
    ),
  },
  {
    $id: 'event',
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Normalized event',
    description: 'A monitoring notification after its source normalizer: one event per alert.',
    additionalProperties: false,
  },
);

export type NormalizedEvent = Static<typeof NormalizedEvent>;
