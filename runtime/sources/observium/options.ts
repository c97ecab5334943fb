import { Type, type Static } from '@sinclair/typebox';
import { EVENT_STATUSES } from '../../../schemas/event.ts';
import { termPattern } from '../terms.ts';

/**
 * Where an Observium alert's service and host come from, as ordered terms (see
 * ../terms.ts; the first that yields a non-empty text wins):
 *
 *   entity-name                 ENTITY_NAME (a port such as eth0, a sensor, a storage...)
 *   entity-name:unless-device   ENTITY_NAME, unless ENTITY_TYPE is "device" (then nothing)
 *   entity-description          ENTITY_DESCRIPTION
 *   device-hostname             DEVICE_HOSTNAME
 *   device-sysname              DEVICE_SYSNAME
 *   device-description          DEVICE_DESCRIPTION (the device's "purpose")
 *   field:NAME                  any top-level text field, such as field:DEVICE_LOCATION
 *   const:TEXT                  TEXT itself
 *
 * Defaults: host = the device hostname; service = the entity name when the alert is
 * about a part of a device (a port, a process, a sensor), null for a whole-device
 * alert such as "Device Down" (Observium knows devices, not the services on them; a
 * playbook acts on event.host then, or a mapping names the service).
 */
const OBSERVIUM_TERMS = [
  'entity-name',
  'entity-name:unless-device',
  'entity-description',
  'device-hostname',
  'device-sysname',
  'device-description',
  'field:[A-Z0-9_]+',
] as const;

const Terms = (description: string) =>
  Type.Array(Type.String({ pattern: termPattern(OBSERVIUM_TERMS), maxLength: 256 }), { maxItems: 16, description });

export const ObserviumOptions = Type.Object(
  {
    serviceFrom: Terms('Ordered terms giving event.service.'),
    hostFrom: Terms('Ordered terms giving event.host.'),
    stateMap: Type.Record(
      Type.String({ pattern: '^[A-Z][A-Z _]{0,31}$' }),
      Type.Union(EVENT_STATUSES.map((s) => Type.Literal(s))),
      { additionalProperties: false, description: 'ALERT_STATE (upper case) to event.status; a state not listed is refused.' },
    ),
  },
  { additionalProperties: false },
);

export type ObserviumOptions = Static<typeof ObserviumOptions>;

export const OBSERVIUM_DEFAULTS: ObserviumOptions = {
  serviceFrom: ['entity-name:unless-device'],
  hostFrom: ['device-hostname', 'device-sysname'],
  // SYSLOG: a syslog rule matched; it says nothing about a state, so no restart follows by default.
  stateMap: { ALERT: 'down', RECOVER: 'up', SYSLOG: 'unknown' },
};
