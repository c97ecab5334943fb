import { describe, expect, it } from 'vitest';
import type { GenericOptions } from '../../runtime/sources/generic/options.ts';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import { RECEIVED_AT, events, schemaErrors } from './examples.ts';

const gen = NORMALIZERS.generic;
const run = (body: unknown, options: Partial<GenericOptions> = {}) =>
  gen.normalize(body, { ...gen.defaults, ...options }, RECEIVED_AT);

describe('generic source', () => {
  it('reads the default field names', () => {
    const outcome = run({
      id: 'chk-42',
      status: 'DOWN',
      service: 'nginx',
      host: 'web-1',
      message: 'health check failed',
      at: '2026-11-21T23:00:00Z',
      severity: 'warning',
      url: 'https://checks.example/42',
      labels: { team: 'ops', attempt: 3, nested: { no: 1 } },
    });
    expect(events(outcome)).toEqual([
      {
        source: 'generic',
        kind: 'alert',
        status: 'down',
        service: 'nginx',
        host: 'web-1',
        severity: 'warning',
        message: 'health check failed',
        at: '2026-11-21T23:00:00.000Z',
        fingerprint: 'generic:chk-42',
        labels: { team: 'ops', attempt: '3' },
        url: 'https://checks.example/42',
      },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('maps nested fields by dotted path, with its own status words and source name', () => {
    const body = {
      check: { id: 7, state: 'CRIT', target: { host: 'db-1', unit: 'postgresql' } },
      text: 'too many connections',
      time: 1795302712,
    };
    const options: Partial<GenericOptions> = {
      source: 'zabbix',
      status: 'check.state',
      service: 'check.target.unit',
      host: 'check.target.host',
      message: 'text',
      at: 'time',
      fingerprint: 'check.id',
      statusMap: { crit: 'down', ok: 'up' },
    };
    expect(events(run(body, options))[0]).toMatchObject({
      source: 'zabbix',
      status: 'down',
      service: 'postgresql',
      host: 'db-1',
      message: 'too many connections',
      at: '2026-11-21T23:11:52.000Z',
      fingerprint: 'zabbix:7',
    });
  });

  it('reads array elements by index', () => {
    const body = { alerts: [{ status: 'firing', labels: { service: 'redis' } }] };
    expect(events(run(body, { status: 'alerts.0.status', service: 'alerts.0.labels.service' }))[0]).toMatchObject({ status: 'down', service: 'redis' });
  });

  it('Unix time in milliseconds; without a time, the reception time', () => {
    expect(events(run({ status: 'up', host: 'h', at: 1795302712345 }))[0]!.at).toBe('2026-11-21T23:11:52.345Z');
    expect(events(run({ status: 'up', host: 'h' }))[0]!.at).toBe('2026-11-21T23:15:00.000Z');
  });

  it('without an id, the fingerprint comes from host and service', () => {
    expect(events(run({ status: 'down', host: 'web-1', service: 'nginx' }))[0]!.fingerprint).toBe('generic:web-1:nginx');
    expect(events(run({ status: 'down', service: 'nginx' }))[0]!.fingerprint).toBe('generic:-:nginx');
  });

  it('a null path leaves the field empty', () => {
    expect(events(run({ status: 'down', id: 1, host: 'web-1' }, { host: null }))[0]!.host).toBeNull();
  });

  it.each([
    [{ host: 'web-1' }, 'MISSING_FIELD', 'status', 'status (the status) is required'],
    [{ status: 'exploded', host: 'web-1' }, 'BAD_FIELD', 'status', 'status must be one of down, up, pending, maintenance, unknown, firing, resolved, problem, alert, ok, recover, recovered, got "exploded"'],
    [{ status: 'down' }, 'MISSING_FIELD', 'id', 'id is required when the body names neither a service nor a host'],
    [{ status: 'down', id: { x: 1 } }, 'BAD_FIELD', 'id', 'id (the alert id) must be a text of at most 256 characters or an integer, got an object'],
    [{ status: 'down', id: 1, service: ['nginx'] }, 'BAD_FIELD', 'service', 'service (the service) must be a text, got an array'],
    [{ status: 'down', id: 1, at: 'yesterday' }, 'BAD_TIMESTAMP', 'at', 'at is not a timestamp we can read (got "yesterday")'],
  ])('refuses %j', (body, code, path, reason) => {
    expect(run(body)).toEqual({ ok: false, code, path, reason });
  });
});
