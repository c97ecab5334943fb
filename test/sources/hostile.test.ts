import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NORMALIZE_FAILURES, NORMALIZERS, type NormalizeOutcome, type SourceName } from '../../runtime/sources/normalizer.ts';
import { RECEIVED_AT, events, example, schemaErrors } from './examples.ts';

/** Runs a normalizer with its defaults, as the HTTP layer would for an unconfigured source. */
function run(source: SourceName, body: unknown): NormalizeOutcome {
  const n = NORMALIZERS[source] as { normalize(b: unknown, o: unknown, r: number): NormalizeOutcome; defaults: unknown };
  return n.normalize(body, n.defaults, RECEIVED_AT);
}

const SOURCES = Object.keys(NORMALIZERS) as SourceName[];
const KUMA = () => example('uptime-kuma/down.json') as { heartbeat: Record<string, unknown>; monitor: Record<string, unknown> };
const AM = () => example('alertmanager/firing.json') as Record<string, unknown> & { alerts: Array<Record<string, unknown>> };
const OBS = () => example('observium/webhook-json-alert.json') as Record<string, unknown>;
const edit = <T extends object>(body: T, change: (b: T) => void): T => (change(body), body);
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

describe('bodies that are not objects', () => {
  it.each(SOURCES.flatMap((s) => [null, [], [{}], 'text', 42, true, undefined].map((b) => [s, b] as const)))('%s refuses %j', (source, body) => {
    expect(run(source, body)).toMatchObject({ ok: false, code: 'NOT_AN_OBJECT' });
  });
});

type Row = [string, SourceName, () => unknown, string, string | undefined, string?];

const ROWS: Row[] = [
  ['empty object', 'uptime-kuma', () => ({}), 'MISSING_FIELD', 'heartbeat'],
  ['heartbeat is a text', 'uptime-kuma', () => ({ ...KUMA(), heartbeat: 'down' }), 'NOT_AN_OBJECT', 'heartbeat'],
  ['monitor missing', 'uptime-kuma', () => ({ ...KUMA(), monitor: null }), 'NOT_AN_OBJECT', 'monitor'],
  ['status 4', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.status = 4)), 'BAD_FIELD', 'heartbeat.status', 'heartbeat.status must be 0, 1, 2 or 3, got 4'],
  ['status as text', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.status = '0')), 'BAD_FIELD', 'heartbeat.status', 'heartbeat.status must be 0, 1, 2 or 3, got "0"'],
  ['status 1.5', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.status = 1.5)), 'BAD_FIELD', 'heartbeat.status'],
  ['status null', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.status = null)), 'BAD_FIELD', 'heartbeat.status'],
  ['no monitor id', 'uptime-kuma', () => edit(KUMA(), (b) => { delete b.monitor.id; delete b.heartbeat.monitorID; }), 'MISSING_FIELD', 'monitor.id'],
  ['time missing', 'uptime-kuma', () => edit(KUMA(), (b) => delete b.heartbeat.time), 'MISSING_FIELD', 'heartbeat.time'],
  ['time unreadable', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.time = '21/11/2026 23:03')), 'BAD_TIMESTAMP', 'heartbeat.time'],
  ['time a number', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.time = 1795302712)), 'BAD_TIMESTAMP', 'heartbeat.time'],
  ['time two days ahead', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.time = '2026-11-23 23:15:01')), 'FUTURE_TIMESTAMP', 'heartbeat.time'],
  ['form field not JSON', 'uptime-kuma', () => ({ data: '<html>' }), 'BAD_FORM_FIELD', 'data'],

  ['empty object', 'alertmanager', () => ({}), 'MISSING_FIELD', 'version'],
  ['version 4 as a number', 'alertmanager', () => ({ ...AM(), version: 4 }), 'BAD_FIELD', 'version', 'version must be "4", got 4'],
  ['no alerts', 'alertmanager', () => edit(AM(), (b) => delete (b as Record<string, unknown>).alerts), 'MISSING_FIELD', 'alerts'],
  ['alerts an object', 'alertmanager', () => ({ ...AM(), alerts: { 0: {} } }), 'BAD_FIELD', 'alerts'],
  ['alert null', 'alertmanager', () => ({ ...AM(), alerts: [null] }), 'NOT_AN_OBJECT', 'alerts[0]'],
  ['labels a text', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = 'x')), 'NOT_AN_OBJECT', 'alerts[0].labels'],
  ['no fingerprint', 'alertmanager', () => edit(AM(), (b) => delete b.alerts[0]!.fingerprint), 'MISSING_FIELD', 'alerts[0].fingerprint'],
  ['huge fingerprint', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.fingerprint = 'f'.repeat(300))), 'BAD_FIELD', 'alerts[0].fingerprint'],
  ['startsAt unreadable', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.startsAt = 'now')), 'BAD_TIMESTAMP', 'alerts[0].startsAt'],
  ['resolved without endsAt', 'alertmanager', () => edit(AM(), (b) => { b.alerts[0]!.status = 'resolved'; delete b.alerts[0]!.endsAt; }), 'MISSING_FIELD', 'alerts[0].endsAt'],
  ['startsAt in 2100', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.startsAt = '2100-01-01T00:00:00Z')), 'FUTURE_TIMESTAMP', 'alerts[0].startsAt'],

  ['empty object', 'observium', () => ({}), 'MISSING_FIELD', 'ALERT_STATE'],
  ['state a number', 'observium', () => ({ ...OBS(), ALERT_STATE: 0 }), 'BAD_FIELD', 'ALERT_STATE'],
  ['state constructor', 'observium', () => ({ ...OBS(), ALERT_STATE: 'constructor' }), 'BAD_FIELD', 'ALERT_STATE'],
  ['no alert id', 'observium', () => edit(OBS(), (b) => delete b.ALERT_ID), 'MISSING_FIELD', 'ALERT_ID'],
  ['alert id an object', 'observium', () => ({ ...OBS(), ALERT_ID: { id: 1 } }), 'BAD_FIELD', 'ALERT_ID'],
  ['unix time unreadable', 'observium', () => ({ ...OBS(), ALERT_UNIXTIME: 'soon' }), 'BAD_TIMESTAMP', 'ALERT_UNIXTIME'],
  ['unix time in 2286', 'observium', () => ({ ...OBS(), ALERT_UNIXTIME: 9999999999 }), 'FUTURE_TIMESTAMP', 'ALERT_UNIXTIME'],
  ['no time at all', 'observium', () => edit(OBS(), (b) => { delete b.ALERT_UNIXTIME; delete b.ALERT_TIMESTAMP; delete b.ALERT_TIMESTAMP_RFC3339; }), 'MISSING_FIELD', 'ALERT_UNIXTIME'],

  ['empty object', 'generic', () => ({}), 'MISSING_FIELD', 'status'],
  ['status toString', 'generic', () => ({ status: 'toString', id: 1 }), 'BAD_FIELD', 'status'],
  ['status an object', 'generic', () => ({ status: { down: true }, id: 1 }), 'BAD_FIELD', 'status'],
  ['status via __proto__', 'generic', () => JSON.parse('{"__proto__": {"status": "down"}, "id": 1}'), 'MISSING_FIELD', 'status'],
  ['at in 2100', 'generic', () => ({ status: 'down', id: 1, at: '2100-01-01T00:00:00Z' }), 'FUTURE_TIMESTAMP', 'at'],
];

/** What the documented shapes (runtime/sources/<source>/payload.ts) add: types, names without control characters, finite numbers. */
const SHAPES: Row[] = [
  ['label value a number', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { service: 1 })), 'BAD_FIELD', 'alerts[0].labels.service', 'alerts[0].labels.service must be a text, got 1'],
  ['secret-looking label a number', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { db_password: 123456 })), 'BAD_FIELD', 'alerts[0].labels.db_password', 'alerts[0].labels.db_password must be a text, got a value not shown (the field looks secret)'],
  ['label value an object', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { service: { name: 'nginx' } })), 'BAD_FIELD', 'alerts[0].labels.service'],
  ['annotation value a list', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.annotations = { summary: ['down'] })), 'BAD_FIELD', 'alerts[0].annotations.summary'],
  ['label with a newline', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { service: 'nginx\n$(reboot)' })), 'CONTROL_CHARACTER', 'alerts[0].labels.service', 'alerts[0].labels.service contains the control character U+000A, which a name cannot hold'],
  ['label with a C1 control', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { instance: 'web-1\u009b31m' })), 'CONTROL_CHARACTER', 'alerts[0].labels.instance'],
  ['label with NUL', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { service: 'nginx\u0000' })), 'INVALID_TEXT', 'alerts[0].labels.service'],
  ['label name with a tab', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.labels = { 'ser\tvice': 'nginx' })), 'CONTROL_CHARACTER', 'alerts[0].labels["ser\\tvice"]'],
  ['common label with a newline', 'alertmanager', () => ({ ...AM(), commonLabels: { instance: 'web-1\r\n' } }), 'CONTROL_CHARACTER', 'commonLabels.instance'],
  ['fingerprint with an escape', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.fingerprint = 'f\u001b[0m')), 'CONTROL_CHARACTER', 'alerts[0].fingerprint'],
  ['1e309 anywhere', 'alertmanager', () => JSON.parse('{"version":"4","alerts":[],"truncatedAlerts":1e309}'), 'NUMBER_NOT_FINITE', 'truncatedAlerts'],
  ['-1e309 in an alert', 'alertmanager', () => edit(AM(), (b) => (b.alerts[0]!.extra = JSON.parse('[-1e309]'))), 'NUMBER_NOT_FINITE', 'alerts[0].extra[0]'],
  ['monitor name with a newline', 'uptime-kuma', () => edit(KUMA(), (b) => (b.monitor.name = 'web-1\nnginx')), 'CONTROL_CHARACTER', 'monitor.name', 'monitor.name contains the control character U+000A, which a name cannot hold'],
  ['hostname with a bell', 'uptime-kuma', () => edit(KUMA(), (b) => (b.monitor.hostname = 'web-1\u0007')), 'CONTROL_CHARACTER', 'monitor.hostname'],
  ['tag value with a CR', 'uptime-kuma', () => edit(KUMA(), (b) => (b.monitor.tags = [{ name: 'service', value: 'nginx\r' }])), 'CONTROL_CHARACTER', 'monitor.tags[0].value'],
  ['monitor name a number', 'uptime-kuma', () => edit(KUMA(), (b) => (b.monitor.name = 7)), 'BAD_FIELD', 'monitor.name'],
  ['1e309 retries', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.retries = Number.POSITIVE_INFINITY)), 'NUMBER_NOT_FINITE', 'heartbeat.retries'],
  ['message with a lone surrogate', 'uptime-kuma', () => edit(KUMA(), (b) => (b.heartbeat.msg = 'down \ud800')), 'INVALID_TEXT', 'heartbeat.msg'],
  ['device hostname with a newline', 'observium', () => ({ ...OBS(), DEVICE_HOSTNAME: 'web-1\nweb-2' }), 'CONTROL_CHARACTER', 'DEVICE_HOSTNAME'],
  ['device sysname with NUL', 'observium', () => ({ ...OBS(), DEVICE_SYSNAME: 'web\u0000' }), 'INVALID_TEXT', 'DEVICE_SYSNAME'],
  ['entity name with an escape', 'observium', () => ({ ...OBS(), ENTITY_NAME: 'eth0\u001b' }), 'CONTROL_CHARACTER', 'ENTITY_NAME'],
  ['unix time 1e309', 'observium', () => ({ ...OBS(), ALERT_UNIXTIME: Number.POSITIVE_INFINITY }), 'NUMBER_NOT_FINITE', 'ALERT_UNIXTIME'],
  ['service with a newline', 'generic', () => ({ status: 'down', id: 1, service: 'nginx\nx' }), 'CONTROL_CHARACTER', 'service'],
  ['id with a tab', 'generic', () => ({ status: 'down', id: 'a\tb' }), 'CONTROL_CHARACTER', 'id'],
  ['1e309 in a label', 'generic', () => JSON.parse('{"status":"down","id":1,"labels":{"load":1e309}}'), 'NUMBER_NOT_FINITE', 'labels.load'],
];

describe('hostile bodies: a refusal naming the field, never a throw', () => {
  it.each([...ROWS, ...SHAPES])('%s (%s)', (_, source, body, code, path, reason) => {
    const outcome = run(source, body());
    expect(outcome).toMatchObject({ ok: false, code, path });
    if (reason !== undefined) expect(outcome).toMatchObject({ reason });
  });
});

describe('names the configuration reads are checked where it reads them', () => {
  const withOptions = (source: SourceName, body: unknown, options: Record<string, unknown>): NormalizeOutcome => {
    const n = NORMALIZERS[source] as { normalize(b: unknown, o: unknown, r: number): NormalizeOutcome; defaults: object };
    return n.normalize(body, { ...n.defaults, ...options }, RECEIVED_AT);
  };

  it('an Observium tag that a term makes the host', () => {
    const body = { ...OBS(), DEVICE_LOCATION: 'rack 1\nrack 2' };
    expect(run('observium', body).ok).toBe(true);
    expect(withOptions('observium', body, { hostFrom: ['field:DEVICE_LOCATION'] })).toMatchObject({ ok: false, code: 'CONTROL_CHARACTER', path: 'DEVICE_LOCATION' });
    expect(withOptions('observium', { ...OBS(), DEVICE_DESCRIPTION: 'a\tb' }, { serviceFrom: ['device-description'] })).toMatchObject({ code: 'CONTROL_CHARACTER', path: 'DEVICE_DESCRIPTION' });
  });

  it('a generic source\'s mapped service, host and id, at any depth', () => {
    const body = { state: 'down', app: { service: 'nginx', host: 'web-1\u0085' }, items: [{ id: 'ok' }] };
    expect(withOptions('generic', body, { status: 'state', service: 'app.service', host: 'app.host', fingerprint: 'items.0.id' })).toMatchObject({
      ok: false,
      code: 'CONTROL_CHARACTER',
      path: 'app.host',
    });
    expect(withOptions('generic', body, { status: 'state', service: 'app.service', host: null, fingerprint: 'items.0.id' }).ok).toBe(true);
  });
});

describe('hostile content that is accepted, bounded', () => {
  it('a 10 MB message is cut to 4096 characters', () => {
    const [event] = events(run('uptime-kuma', edit(KUMA(), (b) => (b.heartbeat.msg = TEN_MB))));
    expect(event!.message).toHaveLength(4096);
    expect(event!.message.endsWith('…')).toBe(true);
    const [am] = events(run('alertmanager', edit(AM(), (b) => (b.alerts[0]!.annotations = { summary: TEN_MB }))));
    expect(am!.message).toHaveLength(4096);
  });

  it('a cut never splits a surrogate pair', () => {
    const [event] = events(run('generic', { status: 'down', id: 1, message: `${'a'.repeat(4094)}😀😀` }));
    expect(event!.message).toBe(`${'a'.repeat(4094)}…`);
  });

  it('service and host are cut to 256 characters and otherwise untouched (control characters are refused, above)', () => {
    const [event] = events(run('uptime-kuma', edit(KUMA(), (b) => (b.monitor.name = `web-1;rm -rf / ${'n'.repeat(1000)}`))));
    expect(event!.host).toBe('web-1;rm');
    expect(event!.service).toHaveLength(256);
    const [am] = events(run('alertmanager', edit(AM(), (b) => (b.alerts[0]!.labels = { service: 'nginx;$(reboot)', instance: ' web-1 ' }))));
    expect(am).toMatchObject({ service: 'nginx;$(reboot)', host: ' web-1 ' });
  });

  it('timestamps far in the past are kept for the stale gate', () => {
    expect(events(run('uptime-kuma', edit(KUMA(), (b) => (b.heartbeat.time = '1999-01-01 00:00:00'))))[0]!.at).toBe('1999-01-01T00:00:00.000Z');
    expect(events(run('alertmanager', edit(AM(), (b) => (b.alerts[0]!.startsAt = '0001-01-01T00:00:00Z'))))[0]!.at).toBe('0001-01-01T00:00:00.000Z');
  });

  it('__proto__ keys neither pollute nor leak into the event', () => {
    const kuma = JSON.parse(JSON.stringify(KUMA()).replace('"name":"web-1 nginx"', '"__proto__":{"name":"evil host"}'));
    const [k] = events(run('uptime-kuma', kuma));
    expect(k).toMatchObject({ service: null, host: '127.0.0.1' });
    const am = JSON.parse(JSON.stringify(AM()).replace('"instance":"web-1"', '"__proto__":"polluted","constructor":"x","instance":"web-1"'));
    const [a] = events(run('alertmanager', am));
    expect(Object.keys(a!.labels)).toEqual(['alertname', 'instance', 'service', 'severity']);
    expect(Object.getPrototypeOf(a!.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });

  it('at most 64 labels, values bounded', () => {
    const labels = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`l${i}`, 'v'.repeat(5000)]));
    const [a] = events(run('alertmanager', edit(AM(), (b) => (b.alerts[0]!.labels = labels))));
    expect(Object.keys(a!.labels)).toHaveLength(64);
    expect(a!.labels.l0).toHaveLength(1024);
  });
});

/** Every path to a value inside a document, for the mutation property below. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaceAt(root: unknown, path: Array<string | number>, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let here = copy;
  for (const step of path.slice(0, -1)) here = here[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete here[last];
  else here[last] = value;
  return copy;
}

const EXAMPLES: Array<[SourceName, string]> = [
  ['uptime-kuma', 'uptime-kuma/down.json'],
  ['uptime-kuma', 'uptime-kuma/1.23-down.json'],
  ['uptime-kuma', 'uptime-kuma/up.json'],
  ['alertmanager', 'alertmanager/group-partial.json'],
  ['observium', 'observium/webhook-alert.json'],
  ['observium', 'observium/webhook-json-recover.json'],
];

/** Whatever comes in: either schema-valid events or a coded refusal with a reason. */
function wellFormed(outcome: NormalizeOutcome): boolean {
  if (outcome.ok) return schemaErrors(outcome).length === 0;
  return Object.hasOwn(NORMALIZE_FAILURES, outcome.code) && outcome.reason.length > 0;
}

const anything = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withObjectString: true,
});

describe('properties: normalize never throws', () => {
  it.each(SOURCES)('%s, on anything', (source) => {
    fc.assert(fc.property(fc.oneof(anything, fc.jsonValue()), (body) => wellFormed(run(source, body))), { numRuns: 300 });
  });

  it.each(EXAMPLES)('%s, on %s with one value replaced or removed', (source, file) => {
    const body = example(file);
    const all = paths(body);
    const replacement = fc.oneof(anything, fc.constantFrom('', 'constructor', '__proto__', '9999-12-31T23:59:59Z', 4, -1, null));
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), replacement, fc.boolean(), (i, value, remove) =>
        wellFormed(run(source, replaceAt(body, all[i]!, value, remove))),
      ),
      { numRuns: 500 },
    );
  });

  it('every example body, given to every normalizer, is well-formed', () => {
    for (const [, file] of EXAMPLES) for (const source of SOURCES) expect(wellFormed(run(source, example(file)))).toBe(true);
  });
});
