import { Type, type Static } from '@sinclair/typebox';
import { EVENT_STATUSES } from '../../../schemas/event.ts';

/**
 * Field mapping for any JSON source (`POST /hooks/:source`). Each field is a dotted
 * path into the body (`alert.labels.host`, `items.0.name`; own properties only) or
 * null to leave the event field empty.
 *
 * - status is required; its value (text, number or boolean, compared case-insensitively)
 *   must be a key of statusMap.
 * - at: RFC 3339 (a time without zone is UTC) or Unix time as a number (seconds below
 *   1e11, milliseconds above). When the body has no such field, the reception time.
 * - fingerprint: the body's id, prefixed with the source name; when absent,
 *   `<source>:<host>:<service>`, and refused if both are empty.
 */
const Path = (description: string) =>
  Type.Union([Type.String({ pattern: '^[^.]+(\\.[^.]+)*$', maxLength: 256 }), Type.Null()], { description });

export const GenericOptions = Type.Object(
  {
    source: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'event.source: the name of the source, as in /hooks/:source.' }),
    status: Type.String({ pattern: '^[^.]+(\\.[^.]+)*$', maxLength: 256, description: 'Path of the status (required).' }),
    service: Path('Path of event.service.'),
    host: Path('Path of event.host.'),
    message: Path('Path of event.message.'),
    at: Path('Path of event.at.'),
    fingerprint: Path('Path of the alert id behind event.fingerprint.'),
    severity: Path('Path of a severity word (critical, warning, info...).'),
    url: Path('Path of an http(s) link for people.'),
    labels: Path('Path of an object whose text, number and boolean values become labels.'),
    statusMap: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Union(EVENT_STATUSES.map((s) => Type.Literal(s))), {
      description: 'Status value (case-insensitive) to event.status; a value not listed is refused.',
    }),
  },
  { additionalProperties: false },
);

export type GenericOptions = Static<typeof GenericOptions>;

export const GENERIC_DEFAULTS: GenericOptions = {
  source: 'generic',
  status: 'status',
  service: 'service',
  host: 'host',
  message: 'message',
  at: 'at',
  fingerprint: 'id',
  severity: 'severity',
  url: 'url',
  labels: 'labels',
  statusMap: {
    down: 'down', up: 'up', pending: 'pending', maintenance: 'maintenance', unknown: 'unknown',
    firing: 'down', resolved: 'up', problem: 'down', alert: 'down', ok: 'up', recover: 'up', recovered: 'up',
  },
};
