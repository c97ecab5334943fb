import { Type, type Static } from '@sinclair/typebox';
import { termPattern } from '../terms.ts';

/**
 * Where the service, host and severity of an Uptime Kuma monitor come from: Uptime
 * Kuma has no such fields, so each is an ordered list of terms (see ../terms.ts),
 * the first that yields a non-empty text wins.
 *
 *   tag:NAME           the value of the monitor's tag NAME (name compared case-insensitively)
 *   name               the whole monitor name
 *   name:first-word    the first word of the name, when the name has two words or more
 *   name:last-word     the last word of the name, when the name has two words or more
 *   group              the name of the group the monitor sits in (its closest parent)
 *   hostname           the monitor's hostname field (ping, port, DNS monitors)
 *   url-host           the host of the monitor's URL, without port (HTTP, keyword monitors)
 *   docker-container   the container of a Docker monitor
 *   const:TEXT         TEXT itself
 *
 * Defaults: tags named `service` / `host` win; a name "web-1 nginx" gives host web-1
 * and service nginx; a one-word name is the service and the host then comes from the
 * hostname or the URL.
 */
const UPTIME_KUMA_TERMS = [
  'tag:.+',
  'name',
  'name:first-word',
  'name:last-word',
  'group',
  'hostname',
  'url-host',
  'docker-container',
] as const;

const Terms = (description: string) =>
  Type.Array(Type.String({ pattern: termPattern(UPTIME_KUMA_TERMS), maxLength: 256 }), { maxItems: 16, description });

export const UptimeKumaOptions = Type.Object(
  {
    serviceFrom: Terms('Ordered terms giving event.service.'),
    hostFrom: Terms('Ordered terms giving event.host.'),
    severityFrom: Terms('Ordered terms giving a severity word (critical, warning, info...) for event.severity.'),
  },
  { additionalProperties: false },
);

export type UptimeKumaOptions = Static<typeof UptimeKumaOptions>;

export const UPTIME_KUMA_DEFAULTS: UptimeKumaOptions = {
  serviceFrom: ['tag:service', 'name:last-word', 'name'],
  hostFrom: ['tag:host', 'name:first-word', 'hostname', 'url-host'],
  severityFrom: ['tag:severity'],
};
