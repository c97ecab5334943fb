import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthExceededAt } from '../../runtime/http/json-text.ts';
import { example, exampleText } from '../sources/examples.ts';
import { errorOf, postJson, request, startTestServer, type Reply, type TestServer } from './harness.ts';

/**
 * Bad requests: each gets its own 4xx and reason, admission is never called, and the server
 * keeps serving (a good request right after succeeds).
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

const DOWN = exampleText('uptime-kuma/down.json');
/** The Uptime Kuma body as the tests alter it: fields removed, mistyped or added. */
interface KumaBody {
  heartbeat: Record<string, unknown>;
  [field: string]: unknown;
}
const down = (): KumaBody => example('uptime-kuma/down.json') as KumaBody;

async function expectRefused(reply: Reply, status: number, code: string): Promise<void> {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(errorOf(reply).code).toBe(code);
  expect(typeof errorOf(reply).message).toBe('string');
  expect(t.admission.calls).toEqual([]);
  const good = await postJson(`${t.url}/hooks/uptime-kuma`, DOWN);
  expect(good.status).toBe(202);
  t.admission.calls.length = 0;
}

const hook = `/hooks/uptime-kuma`;
const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  request(`${t.url}${hook}`, { method: 'POST', headers, body });

describe('malformed bodies → 400', () => {
  it('malformed JSON, with the position', async () => {
    const reply = await post('{"heartbeat": {"status": 0,, }');
    expect(errorOf(reply).position).toBe(27);
    expect(errorOf(reply).message).toMatch(/position 27/);
    await expectRefused(reply, 400, 'INVALID_JSON');
  });

  it('truncated JSON and an empty body', async () => {
    await expectRefused(await post(DOWN.slice(0, 100)), 400, 'INVALID_JSON');
    await expectRefused(await post(''), 400, 'INVALID_JSON');
  });

  it('nesting deeper than maxDepth, without exhausting the stack', async () => {
    const deep = '{"a":'.repeat(65) + '1' + '}'.repeat(65);
    const reply = await post(deep);
    expect(errorOf(reply).message).toMatch(/deeper than 64/);
    await expectRefused(reply, 400, 'TOO_DEEP');
    await expectRefused(await post('['.repeat(30_000) + ']'.repeat(30_000)), 400, 'TOO_DEEP');
    // Brackets inside strings do not count.
    const shallow = down();
    shallow.msg = '[[[[{{{{'.repeat(100);
    expect((await post(JSON.stringify(shallow))).status).toBe(202);
    t.admission.calls.length = 0;
  });

  it('__proto__ and constructor.prototype keys', async () => {
    const proto = DOWN.replace('{', '{"__proto__": {"polluted": true},');
    await expectRefused(await post(proto), 400, 'FORBIDDEN_KEY');
    const escaped = DOWN.replace('{', '{"\\u005f_proto__": {"polluted": true},');
    await expectRefused(await post(escaped), 400, 'FORBIDDEN_KEY');
    const ctor = DOWN.replace('{', '{"constructor": {"prototype": {"polluted": true}},');
    await expectRefused(await post(ctor), 400, 'FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"msg": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    await expectRefused(await post(bytes), 400, 'INVALID_UTF8');
  });

  it('a form without the data field, or with data that is not JSON', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await expectRefused(await post('other=1', form), 400, 'INVALID_FORM');
    await expectRefused(await post('data=%7B%22heartbeat', form), 400, 'INVALID_JSON');
    await expectRefused(await post(`data=${encodeURIComponent(DOWN.replace('{', '{"__proto__":{},'))}`, form), 400, 'FORBIDDEN_KEY');
    const multipart = { 'content-type': 'multipart/form-data; boundary=XYZ' };
    const part = (headers: string, value: string) => `--XYZ\r\n${headers}\r\n\r\n${value}\r\n--XYZ--\r\n`;
    await expectRefused(await post(part('Content-Disposition: form-data; name="data"; filename="x.json"', DOWN), multipart), 400, 'INVALID_FORM');
    await expectRefused(await post(`--XYZ\r\nContent-Disposition: form-data; name="data"\r\n\r\n${DOWN}`, multipart), 400, 'INVALID_FORM');
    await expectRefused(await post(part('Content-Disposition: form-data; name="data"', DOWN), { 'content-type': 'multipart/form-data' }), 400, 'INVALID_FORM');
    expect((await post(part('Content-Disposition: form-data; name="data"', DOWN), multipart)).status).toBe(202);
    t.admission.calls.length = 0;
  });
});

describe('what the endpoint does not take', () => {
  it('wrong or missing content type → 415', async () => {
    const reply = await post(DOWN, { 'content-type': 'text/plain' });
    expect(errorOf(reply).message).toMatch(/text\/plain/);
    expect(errorOf(reply)).toMatchObject({ reason: errorOf(reply).message, path: 'headers.content-type' });
    await expectRefused(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectRefused(await post(Buffer.from(DOWN), {}), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectRefused(await post(DOWN, { 'content-type': 'application/json; charset=iso-8859-1' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectRefused(await post(DOWN, { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over the limit → 413, declared or chunked', async () => {
    const big = JSON.stringify({ ...down(), msg: 'x'.repeat(70 * 1024) });
    await expectRefused(await post(big), 413, 'BODY_TOO_LARGE');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(20 * 1024).fill(0x20));
        controller.close();
      },
    });
    const chunked = await request(`${t.url}${hook}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectRefused(chunked, 413, 'BODY_TOO_LARGE');
  });

  it('an unknown source → 404, a GET on a hook → 405, an unknown path → 404', async () => {
    await expectRefused(await postJson(`${t.url}/hooks/__proto__`, {}), 404, 'UNKNOWN_SOURCE');
    await expectRefused(await request(`${t.url}${hook}`), 405, 'METHOD_NOT_ALLOWED');
    await expectRefused(await request(`${t.url}/nowhere`), 404, 'NOT_FOUND');
    await expectRefused(await request(`${t.url}/hooks/%E0%A4%A`, { method: 'POST' }), 404, 'UNKNOWN_SOURCE');
  });
});

describe('bodies the normalizer refuses → 422 with code, reason and path', () => {
  it('a missing field', async () => {
    const body = down();
    delete body.heartbeat.time;
    const reply = await post(JSON.stringify(body));
    expect(errorOf(reply)).toMatchObject({ path: 'heartbeat.time', reason: 'heartbeat.time is required' });
    await expectRefused(reply, 422, 'MISSING_FIELD');
  });

  it('a mistyped field', async () => {
    const body = down();
    body.heartbeat.status = 'down';
    const reply = await post(JSON.stringify(body));
    expect(errorOf(reply).path).toBe('heartbeat.status');
    await expectRefused(reply, 422, 'BAD_FIELD');
  });

  it('not an object', async () => {
    await expectRefused(await post('[]'), 422, 'NOT_AN_OBJECT');
    await expectRefused(await postJson(`${t.url}/hooks/alertmanager`, '"firing"'), 422, 'NOT_AN_OBJECT');
  });

  it('a time more than a day ahead', async () => {
    const body = down();
    body.heartbeat.time = '2026-11-23 00:00:00.000';
    const reply = await post(JSON.stringify(body));
    expect(errorOf(reply).path).toBe('heartbeat.time');
    await expectRefused(reply, 422, 'FUTURE_TIMESTAMP');
  });
});

describe('bodies off their documented shape → 422 with code, reason and path', () => {
  const AM = exampleText('alertmanager/firing.json');

  it('a number JSON.parse reads as Infinity (1e309)', async () => {
    const reply = await post(DOWN.replace('"retries": 1', '"retries": 1e309'));
    expect(errorOf(reply)).toMatchObject({ path: 'heartbeat.retries', reason: expect.stringMatching(/^heartbeat\.retries is a number too large/) });
    await expectRefused(reply, 422, 'NUMBER_NOT_FINITE');
    const negative = await postJson(`${t.url}/hooks/alertmanager`, AM.replace('"truncatedAlerts": 0', '"truncatedAlerts": -1e309'));
    expect(errorOf(negative)).toMatchObject({ code: 'NUMBER_NOT_FINITE', path: 'truncatedAlerts' });
  });

  it('an Alertmanager label that is not a text, or holds a control character', async () => {
    t.admission.calls.length = 0;
    const number = await postJson(`${t.url}/hooks/alertmanager`, AM.replace('"service": "nginx"', '"service": 42'));
    expect(number.status).toBe(422);
    expect(errorOf(number)).toMatchObject({ code: 'BAD_FIELD', path: 'alerts[0].labels.service', reason: 'alerts[0].labels.service must be a text, got 42' });
    const control = await postJson(`${t.url}/hooks/alertmanager`, AM.replace('"service": "nginx"', '"service": "nginx\\n$(reboot)"'));
    expect(control.status).toBe(422);
    expect(errorOf(control)).toMatchObject({ code: 'CONTROL_CHARACTER', path: 'alerts[0].labels.service', reason: expect.stringContaining('U+000A') });
    const nul = await postJson(`${t.url}/hooks/alertmanager`, AM.replace('"instance": "web-1"', '"instance": "web-1\\u0000"'));
    expect(errorOf(nul)).toMatchObject({ code: 'INVALID_TEXT', path: 'alerts[0].labels.instance' });
    expect(t.admission.calls).toEqual([]);
  });

  it('an Uptime Kuma monitor name with a control character', async () => {
    const reply = await post(DOWN.replace('"name": "web-1 nginx"', '"name": "web-1\\tnginx"'));
    expect(errorOf(reply)).toMatchObject({ path: 'monitor.name' });
    await expectRefused(reply, 422, 'CONTROL_CHARACTER');
  });
});

describe('refusals are counted', () => {
  it('as rejected events of their source', async () => {
    const metrics = await request(`${t.url}/metrics`);
    expect(metrics.text).toMatch(/engine_events_received_total\{source="uptime-kuma",result="rejected"\} [1-9]\d*/);
    expect(metrics.text).toMatch(/engine_events_received_total\{source="uptime-kuma",result="accepted"\} [1-9]\d*/);
    expect(metrics.text).not.toMatch(/source="__proto__"/);
  });
});

describe('depthExceededAt', () => {
  it('measures brackets outside strings, escapes included', () => {
    expect(depthExceededAt('[[1]]', 2)).toBeNull();
    expect(depthExceededAt('[[[1]]]', 2)).toBe(2);
    expect(depthExceededAt('["\\"[[[[", {"a": "]]]"}]', 2)).toBeNull();
    expect(depthExceededAt('{"a\\\\": [[1]]}', 2)).toBe(9);
  });
});
