import { own, type JsonObject } from '../fields.ts';

/**
 * Observium has two JSON transports with different shapes: `webhook` (a template,
 * by default every tag, the Unix time as a number and the graph as base64) and
 * `webhook-json` (the tags without graphs, every value as text). The normalizer reads
 * both the same way; the transport is kept as a label because the `webhook` transport
 * counts a delivery as done only on a JSON reply containing "status":"successful".
 */
export type ObserviumTransport = 'webhook' | 'webhook-json';

const WEBHOOK_ONLY = ['ALERT_STATE_NAME', 'ALERT_STATUS_CUSTOM', 'ENTITY_GRAPH_URL', 'ENTITY_GRAPH_BASE64'];

export function detectObserviumTransport(body: JsonObject): ObserviumTransport {
  if (typeof own(body, 'ALERT_UNIXTIME') === 'number') return 'webhook';
  return WEBHOOK_ONLY.some((key) => Object.hasOwn(body, key)) ? 'webhook' : 'webhook-json';
}
