import { describe, expect, it } from 'vitest';
import type { AlertmanagerOptions } from '../../runtime/sources/alertmanager/options.ts';
import { EMPTY_GROUP_NOTE } from '../../runtime/sources/alertmanager/normalize.ts';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import { RECEIVED_AT, events, example, schemaErrors } from './examples.ts';

const am = NORMALIZERS.alertmanager;
const run = (body: unknown, options: Partial<AlertmanagerOptions> = {}) =>
  am.normalize(body, { ...am.defaults, ...options }, RECEIVED_AT);

const labels = (instance: string, service: string) => ({ alertname: 'ServiceDown', instance, service, severity: 'critical' });
const common = { source: 'alertmanager', kind: 'alert', severity: 'critical', url: 'http://127.0.0.1/acceptance/fire-alert' };

const WEB1_NGINX = { ...common, service: 'nginx', host: 'web-1', message: 'nginx is down on web-1', fingerprint: 'alertmanager:20ede38dd603808f', labels: labels('web-1', 'nginx') };
const WEB3_NGINX = { ...common, service: 'nginx', host: 'web-3', message: 'nginx is down on web-3', fingerprint: 'alertmanager:f0fd2b7d358618b1', labels: labels('web-3', 'nginx') };
const WEB3_REDIS = { ...common, service: 'redis', host: 'web-3', message: 'redis is down on web-3', fingerprint: 'alertmanager:02156fc1fb534b04', labels: labels('web-3', 'redis') };

/** A real group whose first alert is edited. */
function withAlert(edit: Record<string, unknown>): unknown {
  const body = example('alertmanager/firing.json') as { alerts: Array<Record<string, unknown>> };
  body.alerts[0] = { ...body.alerts[0], ...edit };
  return body;
}

describe('alertmanager examples', () => {
  it('firing: the start time', () => {
    const outcome = run(example('alertmanager/firing.json'));
    expect(events(outcome)).toEqual([{ ...WEB1_NGINX, status: 'down', at: '2026-11-21T22:59:41.059Z' }]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('resolved: the end time, same fingerprint', () => {
    expect(events(run(example('alertmanager/resolved.json')))).toEqual([{ ...WEB1_NGINX, status: 'up', at: '2026-11-21T22:59:43.644Z' }]);
  });

  it('group firing: one event per alert', () => {
    const outcome = run(example('alertmanager/group-firing.json'));
    expect(events(outcome)).toEqual([
      { ...WEB3_NGINX, status: 'down', at: '2026-11-21T22:59:48.001Z' },
      { ...WEB3_REDIS, status: 'down', at: '2026-11-21T22:59:48.032Z' },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('group partial: the group is firing, each alert keeps its own status', () => {
    expect(events(run(example('alertmanager/group-partial.json')))).toEqual([
      { ...WEB3_NGINX, status: 'down', at: '2026-11-21T22:59:48.001Z' },
      { ...WEB3_REDIS, status: 'up', at: '2026-11-21T22:59:50.812Z' },
    ]);
  });

  it('group resolved: only the alerts not yet reported resolved', () => {
    expect(events(run(example('alertmanager/group-resolved.json')))).toEqual([{ ...WEB3_NGINX, status: 'up', at: '2026-11-21T22:59:53.046Z' }]);
  });
});

describe('alertmanager label mapping', () => {
  it('strips the port of instance, keeps a bare IPv6 address', () => {
    expect(events(run(withAlert({ labels: { instance: 'web-1:9100' } })))[0]!.host).toBe('web-1');
    expect(events(run(withAlert({ labels: { instance: '[2001:db8::1]:9100' } })))[0]!.host).toBe('2001:db8::1');
    expect(events(run(withAlert({ labels: { instance: '2001:db8::1' } })))[0]!.host).toBe('2001:db8::1');
    expect(events(run(withAlert({ labels: { instance: 'web-1:9100' } }), { stripPort: false }))[0]!.host).toBe('web-1:9100');
  });

  it('service falls back to job; other label names are configurable', () => {
    const body = withAlert({ labels: { job: 'node', nodename: 'db-1', instance: '10.0.0.5:9100', team_sev: 'warning' } });
    expect(events(run(body))[0]).toMatchObject({ service: 'node', host: '10.0.0.5', severity: null });
    expect(events(run(body, { hostLabels: ['nodename', 'instance'], severityLabels: ['team_sev'] }))[0]).toMatchObject({ host: 'db-1', severity: 'warning' });
  });

  it('message: summary, then description, then the alert name', () => {
    expect(events(run(withAlert({ annotations: { description: 'disk full' } })))[0]!.message).toBe('disk full');
    expect(events(run(withAlert({ annotations: {} })))[0]!.message).toBe('ServiceDown');
  });

  it('an empty group is answered with no event', () => {
    expect(run({ version: '4', status: 'firing', alerts: [] })).toEqual({ ok: true, events: [], note: EMPTY_GROUP_NOTE });
  });

  it('refuses a group larger than maxAlerts', () => {
    const body = example('alertmanager/group-firing.json');
    expect(run(body, { maxAlerts: 1 })).toMatchObject({ ok: false, code: 'TOO_MANY_ALERTS', path: 'alerts' });
  });

  it('names the offending alert', () => {
    const body = example('alertmanager/group-firing.json') as { alerts: Array<Record<string, unknown>> };
    body.alerts[1]!.status = 'active';
    expect(run(body)).toEqual({ ok: false, code: 'BAD_FIELD', reason: 'alerts[1].status must be "firing" or "resolved", got "active"', path: 'alerts[1].status' });
  });
});
