import { describe, expect, it } from 'vitest';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import { FormFieldError, parseUptimeKumaFormField } from '../../runtime/sources/uptime-kuma/form-field.ts';
import { NO_HEARTBEAT_NOTE } from '../../runtime/sources/uptime-kuma/normalize.ts';
import type { UptimeKumaOptions } from '../../runtime/sources/uptime-kuma/options.ts';
import { RECEIVED_AT, events, example, exampleText, schemaErrors } from './examples.ts';

const kuma = NORMALIZERS['uptime-kuma'];
const run = (body: unknown, options: Partial<UptimeKumaOptions> = {}) =>
  kuma.normalize(body, { ...kuma.defaults, ...options }, RECEIVED_AT);

/** An example with its monitor edited: the mapping tests start from a real body. */
function withMonitor(edit: Record<string, unknown>, file = 'uptime-kuma/down.json'): unknown {
  const body = example(file) as { monitor: Record<string, unknown> };
  return { ...body, monitor: { ...body.monitor, ...edit } };
}

const WEB1_NGINX = {
  source: 'uptime-kuma',
  kind: 'alert',
  service: 'nginx',
  host: 'web-1',
  severity: null,
  fingerprint: 'uptime-kuma:monitor:1',
  url: 'http://127.0.0.1:19082/health',
};

describe('uptime-kuma examples', () => {
  it('2.x down', () => {
    const outcome = run(example('uptime-kuma/down.json'));
    expect(events(outcome)).toEqual([
      {
        ...WEB1_NGINX,
        status: 'down',
        message: 'connect ECONNREFUSED 127.0.0.1:19082',
        at: '2026-11-21T23:03:39.623Z',
        labels: { monitor_id: '1', monitor_name: 'web-1 nginx', monitor_type: 'http', important: 'true' },
      },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('1.23 down (duration instead of retries)', () => {
    const outcome = run(example('uptime-kuma/1.23-down.json'));
    expect(events(outcome)).toEqual([
      {
        ...WEB1_NGINX,
        status: 'down',
        message: 'connect ECONNREFUSED 127.0.0.1:19082',
        at: '2026-11-21T23:06:47.376Z',
        labels: { monitor_id: '1', monitor_name: 'web-1 nginx', monitor_type: 'http', important: 'true' },
      },
    ]);
    expect(schemaErrors(outcome)).toEqual([]);
  });

  it('2.x up', () => {
    const outcome = run(example('uptime-kuma/up.json'));
    expect(events(outcome)).toEqual([
      {
        ...WEB1_NGINX,
        status: 'up',
        message: '200 - OK',
        at: '2026-11-21T23:03:41.624Z',
        labels: { monitor_id: '1', monitor_name: 'web-1 nginx', monitor_type: 'http', important: 'true' },
      },
    ]);
  });

  it('test button: ok, no event, a note', () => {
    expect(run(example('uptime-kuma/test.json'))).toEqual({ ok: true, events: [], note: NO_HEARTBEAT_NOTE });
  });

  it('form-data: the data field holds the same notification', () => {
    const raw = exampleText('uptime-kuma/down.form-data.raw.txt');
    const field = raw.slice(raw.indexOf('\r\n\r\n') + 4, raw.lastIndexOf('\r\n--'));
    const parsed = parseUptimeKumaFormField(field);
    expect(run(parsed)).toEqual(run(example('uptime-kuma/down.json')));
    // The HTTP layer may also hand over the parsed fields as they are.
    expect(run({ data: field })).toEqual(run(example('uptime-kuma/down.json')));
  });
});

describe('uptime-kuma statuses and time', () => {
  it.each([
    [2, 'pending'],
    [3, 'maintenance'],
  ])('heartbeat.status %i is %s', (status, want) => {
    const body = example('uptime-kuma/down.json') as { heartbeat: Record<string, unknown> };
    body.heartbeat.status = status;
    expect(events(run(body))[0]!.status).toBe(want);
  });

  it('heartbeat.time is UTC whatever the server zone (localDateTime carries the offset)', () => {
    const body = example('uptime-kuma/down.json') as { heartbeat: Record<string, unknown> };
    Object.assign(body.heartbeat, { timezone: 'Europe/Paris', timezoneOffset: '+01:00', localDateTime: '2026-11-22 00:03:39' });
    expect(events(run(body))[0]!.at).toBe('2026-11-21T23:03:39.623Z');
  });
});

describe('uptime-kuma mapping options', () => {
  it('tags named service and host win over the name', () => {
    const body = withMonitor({
      name: 'Front page',
      tags: [
        { id: 1, monitor_id: 1, tag_id: 3, name: 'Host', value: 'web-9', color: '#000' },
        { id: 2, monitor_id: 1, tag_id: 4, name: 'service', value: 'apache2', color: '#000' },
        { id: 3, monitor_id: 1, tag_id: 5, name: 'severity', value: 'warning', color: '#000' },
      ],
    });
    const [event] = events(run(body));
    expect(event).toMatchObject({ service: 'apache2', host: 'web-9', severity: 'warning' });
    expect(event!.labels).toMatchObject({ 'tag.Host': 'web-9', 'tag.service': 'apache2', 'tag.severity': 'warning' });
  });

  it('a tag without value is skipped and kept as an empty label', () => {
    const [event] = events(run(withMonitor({ tags: [{ name: 'service', value: null }] })));
    expect(event).toMatchObject({ service: 'nginx', labels: { 'tag.service': '' } });
  });

  it('a one-word name is the service; the host comes from the URL', () => {
    const [event] = events(run(withMonitor({ name: 'nginx', url: 'https://web-2.example:8443/health' })));
    expect(event).toMatchObject({ service: 'nginx', host: 'web-2.example' });
  });

  it('a one-word name with a hostname (ping monitor): hostname before URL', () => {
    const [event] = events(run(withMonitor({ name: 'sshd', type: 'ping', hostname: 'db-1', url: 'https://' })));
    expect(event).toMatchObject({ service: 'sshd', host: 'db-1', url: null });
  });

  it('url-host first, when configured', () => {
    const [event] = events(run(withMonitor({}), { hostFrom: ['url-host', 'name:first-word'] }));
    expect(event!.host).toBe('127.0.0.1');
  });

  it('IPv6 URL host loses its brackets', () => {
    const [event] = events(run(withMonitor({ name: 'nginx', url: 'http://[2001:db8::1]:8080/' })));
    expect(event!.host).toBe('2001:db8::1');
  });

  it('group, docker-container and const terms', () => {
    const body = withMonitor({ name: 'nginx', path: ['web-4', 'nginx'], pathName: 'web-4 / nginx', docker_container: 'nginx-prod' });
    const [event] = events(run(body, { hostFrom: ['group'], serviceFrom: ['docker-container'], severityFrom: ['const:critical'] }));
    expect(event).toMatchObject({ host: 'web-4', service: 'nginx-prod', severity: 'critical' });
    const old = withMonitor({ name: 'nginx', pathName: 'web-5 / nginx' }, 'uptime-kuma/1.23-down.json');
    expect(events(run(old, { hostFrom: ['group'] }))[0]!.host).toBe('web-5');
  });

  it('nothing found gives null, and unknown terms are ignored', () => {
    const [event] = events(run(withMonitor({ name: 'nginx', url: null }), { hostFrom: ['tag:host', 'nonsense', 'name:first-word'] }));
    expect(event!.host).toBeNull();
  });

  it('credentials in the monitored URL never reach the event', () => {
    const [event] = events(run(withMonitor({ name: 'nginx', url: 'https://admin:s3cret@web-3/health' })));
    expect(event!.url).toBe('https://web-3/health');
    expect(JSON.stringify(event)).not.toContain('s3cret');
  });
});

describe('parseUptimeKumaFormField', () => {
  it('throws a coded error on a field that is not JSON', () => {
    expect(() => parseUptimeKumaFormField('{"heartbeat":')).toThrow(FormFieldError);
    const thrown = (() => {
      try {
        parseUptimeKumaFormField('not json');
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toMatchObject({ code: 'BAD_FORM_FIELD', path: 'data', message: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses a document nested deeper than 64 levels', () => {
    const deep = '['.repeat(65) + ']'.repeat(65);
    expect(() => parseUptimeKumaFormField(deep)).toThrow(/deeper than 64/);
    expect(parseUptimeKumaFormField('['.repeat(64) + ']'.repeat(64))).toBeInstanceOf(Array);
  });

  it('the normalizer turns a bad field into a refusal, not a throw', () => {
    expect(run({ data: '{oops' })).toMatchObject({ ok: false, code: 'BAD_FORM_FIELD', path: 'data' });
    expect(run({ data: 42 })).toMatchObject({ ok: false, code: 'BAD_FORM_FIELD' });
    expect(run({ data: JSON.stringify({ data: '{}' }) })).toMatchObject({ ok: false, code: 'BAD_FORM_FIELD' });
  });
});
