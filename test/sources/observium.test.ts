import { describe, expect, it } from 'vitest';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import type { ObserviumOptions } from '../../runtime/sources/observium/options.ts';
import { detectObserviumTransport } from '../../runtime/sources/observium/transport.ts';
import { RECEIVED_AT, events, example, schemaErrors } from './examples.ts';

const obs = NORMALIZERS.observium;
const run = (body: unknown, options: Partial<ObserviumOptions> = {}) =>
  obs.normalize(body, { ...obs.defaults, ...options }, RECEIVED_AT);

const labels = {
  alert_id: '345',
  entity_type: 'device',
  entity_id: '12',
  entity_name: 'web-1',
  entity_description: 'nginx front',
  device_id: '12',
  device_type: 'server',
  device_os: 'Linux 6.1.0-18-amd64',
  device_hardware: 'Generic x86 [64bit]',
};

const WEB1 = {
  source: 'observium',
  kind: 'alert',
  service: null,
  host: 'web-1',
  severity: 'critical',
  message: 'Device Down',
  fingerprint: 'observium:alert:345:device:12',
  url: 'http://observium.example/device/device=12/tab=alert/alert_entry=345/',
};

const ALERT_LABELS = { conditions: 'device_status equals 0 (0)', metrics: 'device_status = 0', duration: '4m 29s (2026-11-21 23:07:23)' };

describe('observium examples', () => {
  it('webhook transport, alert', () => {
    const outcome = run(example('observium/webhook-alert.json'));
    expect(events(outcome)).toEqual([
      { ...WEB1, status: 'down', at: '2026-11-21T23:11:52.000Z', labels: { ...labels, ...ALERT_LABELS, observium_transport: 'webhook' } },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('the base64 graph never reaches the event', () => {
    const body = example('observium/webhook-alert.json') as Record<string, string>;
    const graph = body.ENTITY_GRAPH_BASE64!;
    expect(JSON.stringify(run(body))).not.toContain(graph.slice(0, 24));
    expect(events(run(body, { serviceFrom: ['field:ENTITY_GRAPH_BASE64'] }))[0]!.service).toBeNull();
  });

  it('webhook-json transport, alert (times as text)', () => {
    const outcome = run(example('observium/webhook-json-alert.json'));
    expect(events(outcome)).toEqual([
      {
        ...WEB1,
        status: 'down',
        at: '2026-11-21T23:11:52.000Z',
        labels: { ...labels, ...ALERT_LABELS, device_location: '', observium_transport: 'webhook-json' },
      },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('webhook-json transport, recover: same fingerprint, up', () => {
    expect(events(run(example('observium/webhook-json-recover.json')))).toEqual([
      {
        ...WEB1,
        status: 'up',
        at: '2026-11-21T23:11:55.000Z',
        labels: { ...labels, device_location: '', conditions: '', metrics: 'device_status = 1', duration: '0s (2026-11-21 23:11:55)', observium_transport: 'webhook-json' },
      },
    ]);
  });

  it('detects the transport', () => {
    expect(detectObserviumTransport(example('observium/webhook-alert.json') as Record<string, unknown>)).toBe('webhook');
    expect(detectObserviumTransport(example('observium/webhook-json-alert.json') as Record<string, unknown>)).toBe('webhook-json');
  });
});

describe('observium mapping', () => {
  const port = () => ({
    ...(example('observium/webhook-json-alert.json') as Record<string, unknown>),
    ENTITY_TYPE: 'port',
    ENTITY_ID: '77',
    ENTITY_NAME: 'eth0',
    ALERT_MESSAGE: 'Port Down',
  });

  it('an alert on a part of a device: the entity is the service', () => {
    expect(events(run(port()))[0]).toMatchObject({ service: 'eth0', host: 'web-1', fingerprint: 'observium:alert:345:port:77', message: 'Port Down' });
  });

  it('service and host terms are configurable', () => {
    const body = example('observium/webhook-json-alert.json');
    const [event] = events(run(body, { serviceFrom: ['entity-name:unless-device', 'const:nginx'], hostFrom: ['field:DEVICE_SYSNAME'] }));
    expect(event).toMatchObject({ service: 'nginx', host: 'web-1' });
  });

  it('the state map is configurable; an unknown state is refused with the known ones', () => {
    const body = { ...(example('observium/webhook-json-alert.json') as Record<string, unknown>), ALERT_STATE: 'REMINDER' };
    expect(run(body)).toEqual({ ok: false, code: 'BAD_FIELD', reason: 'ALERT_STATE must be one of ALERT, RECOVER, SYSLOG, got "REMINDER"', path: 'ALERT_STATE' });
    expect(events(run(body, { stateMap: { ...obs.defaults.stateMap, REMINDER: 'down' } }))[0]!.status).toBe('down');
  });

  it('a syslog match has no state and its own fingerprint', () => {
    const body: Record<string, unknown> = { ...(example('observium/webhook-json-alert.json') as Record<string, unknown>), ALERT_STATE: 'SYSLOG', ALERT_ID: '7' };
    delete body.ENTITY_ID;
    delete body.ENTITY_TYPE;
    expect(events(run(body))[0]).toMatchObject({ status: 'unknown', fingerprint: 'observium:syslog:7:device:12' });
  });

  it('without ALERT_UNIXTIME the RFC 3339 timestamp is read', () => {
    const body = example('observium/webhook-json-alert.json') as Record<string, unknown>;
    delete body.ALERT_UNIXTIME;
    body.ALERT_TIMESTAMP_RFC3339 = '2026-11-22T00:11:52+01:00';
    expect(events(run(body))[0]!.at).toBe('2026-11-21T23:11:52.000Z');
  });
});
