import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { buildSourceTable, type SourceTable } from '../../runtime/http/source-table.ts';
import { example, exampleText } from '../sources/examples.ts';
import { answer, errorOf, postJson, request, startTestServer, type TestServer } from './harness.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url);

/** Every captured body, by source: the JSON files that are not request metadata. */
function bodies(source: string): string[] {
  return readdirSync(new URL(`${source}/`, EXAMPLES))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.request.json'))
    .sort();
}

function table(configs: unknown[]): SourceTable {
  const built = buildSourceTable(configs);
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  return built.table;
}

let t: TestServer;
afterEach(async () => t.close());

describe('POST /hooks/:source with the captured examples', () => {
  beforeEach(async () => {
    t = await startTestServer();
  });

  for (const source of ['uptime-kuma', 'alertmanager', 'observium']) {
    for (const file of bodies(source)) {
      it(`${source}/${file} → 202`, async () => {
        const reply = await postJson(`${t.url}/hooks/${source}`, exampleText(`${source}/${file}`));
        expect(reply.status, reply.text).toBe(202);
        const call = t.admission.calls.at(-1)!;
        expect(call.source).toBe(source);
        const answered = answer(reply, 'hook');
        expect(answered.runs).toEqual(call.events.map((_, i) => `run_${i + 1}`));
        expect(answered.events.length).toBeGreaterThan(0);
        expect(answered.skipped).toEqual([{ playbook: 'disk-cleanup', reason: 'no match' }]);
        for (const event of call.events) expect(event['source']).toBe(source);
      });
    }
  }

  it('answers Uptime Kuma\'s Test button with 202, no event and a note, and still records it', async () => {
    const reply = await postJson(`${t.url}/hooks/uptime-kuma`, example('uptime-kuma/test.json'));
    expect(reply.status).toBe(202);
    const answered = answer(reply, 'hook');
    expect(answered.runs).toEqual([]);
    expect(answered.note).toMatch(/test button/);
    expect(t.admission.calls).toEqual([{ source: 'uptime-kuma', events: [], note: answered.note }]);
  });

  it('gives one event per Alertmanager alert with its own status', async () => {
    await postJson(`${t.url}/hooks/alertmanager`, example('alertmanager/group-partial.json'));
    const statuses = t.admission.calls[0]!.events.map((e) => e['status']).sort();
    expect(statuses).toEqual(['down', 'up']);
  });

  it('answers Observium with "status": "successful", on both transports', async () => {
    for (const file of ['webhook-alert.json', 'webhook-json-alert.json']) {
      const reply = await postJson(`${t.url}/hooks/observium`, exampleText(`observium/${file}`), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(reply.status).toBe(202);
      expect(answer(reply, 'hook').status).toBe('successful');
    }
    const other = await postJson(`${t.url}/hooks/alertmanager`, example('alertmanager/firing.json'));
    expect(answer(other, 'hook').status).toBeUndefined();
  });

  it('takes Uptime Kuma\'s form-data variant, multipart and chunked as it sends it', async () => {
    const meta = example('uptime-kuma/down.form-data.request.json') as { headers: Record<string, string> };
    const raw = readFileSync(new URL('uptime-kuma/down.form-data.raw.txt', EXAMPLES));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(raw.subarray(0, 700));
        controller.enqueue(raw.subarray(700));
        controller.close();
      },
    });
    const reply = await request(`${t.url}/hooks/uptime-kuma`, {
      method: 'POST',
      headers: { 'content-type': meta.headers['content-type']! },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(reply.status, reply.text).toBe(202);
    const [json] = t.admission.calls;
    await postJson(`${t.url}/hooks/uptime-kuma`, exampleText('uptime-kuma/down.json'));
    // The same notification as the JSON variant gives the same event.
    expect(json!.events).toEqual(t.admission.calls[1]!.events);
  });

  it('takes the form variant urlencoded too', async () => {
    const body = new URLSearchParams({ data: exampleText('uptime-kuma/down.json') }).toString();
    const reply = await request(`${t.url}/hooks/uptime-kuma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(reply.status).toBe(202);
    expect(t.admission.calls[0]!.events[0]!['host']).toBe('web-1');
  });

  it('accepts +json media types and refuses forms where the source does not post them', async () => {
    expect((await postJson(`${t.url}/hooks/alertmanager`, exampleText('alertmanager/firing.json'), { 'content-type': 'application/vnd.alert+json' })).status).toBe(202);
    const form = await request(`${t.url}/hooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'data=%7B%7D',
    });
    expect(form.status).toBe(415);
    expect(errorOf(form).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('puts a request id on every answer and keeps a sane one the client sent', async () => {
    const mine = await request(`${t.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const hostile = await request(`${t.url}/hooks/nope`, { method: 'POST', headers: { 'x-request-id': `a b ${'x'.repeat(200)}` } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^req_\d+$/);
  });
});

describe('per-source auth', () => {
  const token = 'a-long-enough-bearer-token';
  const secret = 'a-long-enough-hmac-secret';

  beforeEach(async () => {
    t = await startTestServer({
      sources: table([
        { name: 'alertmanager', normalizer: 'alertmanager', auth: { bearer: token } },
        { name: 'observium', normalizer: 'observium', auth: { bearer: token } },
        { name: 'uptime-kuma', normalizer: 'uptime-kuma', auth: { hmac: { secret, header: 'X-Signature-256' } } },
      ]),
    });
  });

  it('refuses a missing or wrong bearer token with 401 and WWW-Authenticate, before admission', async () => {
    const body = exampleText('alertmanager/firing.json');
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${token}x` }];
    for (const headers of attempts) {
      const reply = await postJson(`${t.url}/hooks/alertmanager`, body, headers);
      expect(reply.status).toBe(401);
      expect(errorOf(reply).code).toBe('UNAUTHORIZED');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    }
    expect(t.admission.calls).toEqual([]);
    expect((await postJson(`${t.url}/hooks/alertmanager`, body, { authorization: `Bearer ${token}` })).status).toBe(202);
  });

  it('takes the token as the whole Authorization value, as Observium webhook-json sends it', async () => {
    const reply = await postJson(`${t.url}/hooks/observium`, exampleText('observium/webhook-json-alert.json'), { authorization: token });
    expect(reply.status).toBe(202);
  });

  it('checks an HMAC-SHA256 of the raw body, with or without the sha256= prefix', async () => {
    const body = exampleText('uptime-kuma/down.json');
    const hex = createHmac('sha256', secret).update(body).digest('hex');
    expect((await postJson(`${t.url}/hooks/uptime-kuma`, body, { 'x-signature-256': `sha256=${hex}` })).status).toBe(202);
    expect((await postJson(`${t.url}/hooks/uptime-kuma`, body, { 'x-signature-256': hex })).status).toBe(202);
    const tampered = await postJson(`${t.url}/hooks/uptime-kuma`, body.replace('web-1', 'web-2'), { 'x-signature-256': hex });
    expect(tampered.status).toBe(401);
    expect(errorOf(tampered).message).toMatch(/does not match/);
    const missing = await postJson(`${t.url}/hooks/uptime-kuma`, body);
    expect(missing.status).toBe(401);
    expect((await postJson(`${t.url}/hooks/uptime-kuma`, body, { 'x-signature-256': 'sha256=zz' })).status).toBe(401);
    expect(t.admission.calls).toHaveLength(2);
  });
});

describe('several sources of one normalizer, each with its own auth and options', () => {
  const prodToken = 'prod-alertmanager-token-0123';
  const stagingToken = 'staging-alertmanager-token-9876';

  beforeEach(async () => {
    t = await startTestServer({
      sources: table([
        { name: 'am-prod', type: 'alertmanager', auth: { bearer: prodToken } },
        { name: 'am-staging', type: 'alertmanager', options: { serviceLabels: ['alertname'] }, auth: { bearer: stagingToken } },
        { name: 'uptime-kuma', type: 'uptime-kuma' },
        { name: 'kuma-staging', normalizer: 'uptime-kuma', options: { serviceFrom: ['const:staging-app'], hostFrom: ['url-host'] } },
      ]),
    });
  });

  it('takes each Alertmanager with its own token only, and names its events after it', async () => {
    const body = exampleText('alertmanager/firing.json');
    const post = (source: string, token: string) => postJson(`${t.url}/hooks/${source}`, body, { authorization: `Bearer ${token}` });
    expect((await post('am-prod', stagingToken)).status).toBe(401);
    expect((await post('am-staging', prodToken)).status).toBe(401);
    expect(t.admission.calls).toEqual([]);
    expect((await post('am-prod', prodToken)).status).toBe(202);
    expect((await post('am-staging', stagingToken)).status).toBe(202);
    const [prod, staging] = t.admission.calls;
    expect(prod!.source).toBe('am-prod');
    expect(prod!.events[0]).toMatchObject({ source: 'am-prod', service: 'nginx', fingerprint: 'am-prod:20ede38dd603808f' });
    expect(staging!.source).toBe('am-staging');
    expect(staging!.events[0]).toMatchObject({ source: 'am-staging', service: 'ServiceDown', fingerprint: 'am-staging:20ede38dd603808f' });
  });

  it('maps a staging Uptime Kuma its own way, beside the default one', async () => {
    const body = exampleText('uptime-kuma/down.json');
    expect((await postJson(`${t.url}/hooks/uptime-kuma`, body)).status).toBe(202);
    expect((await postJson(`${t.url}/hooks/kuma-staging`, body)).status).toBe(202);
    const [prod, staging] = t.admission.calls.map((c) => c.events[0]);
    expect(prod).toMatchObject({ source: 'uptime-kuma', service: 'nginx', host: 'web-1', fingerprint: 'uptime-kuma:monitor:1' });
    expect(staging).toMatchObject({ source: 'kuma-staging', service: 'staging-app', host: '127.0.0.1', fingerprint: 'kuma-staging:monitor:1' });
  });

  it('no longer serves the open default of a normalizer configured under other names', async () => {
    const reply = await postJson(`${t.url}/hooks/alertmanager`, exampleText('alertmanager/firing.json'));
    expect(reply.status).toBe(404);
    expect(errorOf(reply).known).toEqual(['am-prod', 'am-staging', 'kuma-staging', 'observium', 'uptime-kuma']);
  });
});

describe('a generic source', () => {
  beforeEach(async () => {
    t = await startTestServer({
      sources: table([{ name: 'nagios', normalizer: 'generic', options: { status: 'state', statusMap: { critical: 'down', ok: 'up' } } }]),
    });
  });

  it('is served under its configured name, its events carry that name', async () => {
    const reply = await postJson(`${t.url}/hooks/nagios`, { state: 'CRITICAL', service: 'nginx', host: 'web-1', at: '2026-11-21T23:10:00Z' });
    expect(reply.status, reply.text).toBe(202);
    expect(t.admission.calls[0]!.source).toBe('nagios');
    expect(t.admission.calls[0]!.events[0]).toMatchObject({ source: 'nagios', status: 'down', service: 'nginx', host: 'web-1' });
  });

  it('answers 404 with the known sources for any other name', async () => {
    const reply = await postJson(`${t.url}/hooks/zabbix`, { state: 'ok' });
    expect(reply.status).toBe(404);
    expect(errorOf(reply).code).toBe('UNKNOWN_SOURCE');
    expect(errorOf(reply).known).toEqual(['alertmanager', 'nagios', 'observium', 'uptime-kuma']);
  });
});

describe('when the service cannot take events', () => {
  beforeEach(async () => {
    t = await startTestServer();
  });

  it('answers 503 with Retry-After while shutting down, and admits nothing', async () => {
    t.setAccepting(false);
    const reply = await postJson(`${t.url}/hooks/uptime-kuma`, exampleText('uptime-kuma/down.json'));
    expect(reply.status).toBe(503);
    expect(errorOf(reply).code).toBe('SHUTTING_DOWN');
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(t.admission.calls).toEqual([]);
  });

  it('answers 503 with Retry-After when admission fails with a retryable error, then recovers', async () => {
    t.admission.failure = new EngineError('STORE_UNAVAILABLE', 'database is locked', { retryable: true });
    const reply = await postJson(`${t.url}/hooks/observium`, exampleText('observium/webhook-alert.json'));
    expect(reply.status).toBe(503);
    expect(errorOf(reply).code).toBe('SERVICE_UNAVAILABLE');
    expect(reply.json).not.toHaveProperty('status');
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    t.admission.failure = null;
    expect((await postJson(`${t.url}/hooks/observium`, exampleText('observium/webhook-alert.json'))).status).toBe(202);
  });

  it('answers 500 without internals for any other failure, logs it, and stays up', async () => {
    t.admission.failure = new Error('SELECT secret FROM somewhere failed');
    const reply = await postJson(`${t.url}/hooks/uptime-kuma`, exampleText('uptime-kuma/down.json'));
    expect(reply.status).toBe(500);
    expect(errorOf(reply).code).toBe('INTERNAL');
    expect(reply.text).not.toMatch(/SELECT/);
    expect(errorOf(reply).message).toContain(reply.headers.get('x-request-id'));
    expect(t.logs.some((l) => l['level'] === 50 && l['requestId'] === reply.headers.get('x-request-id'))).toBe(true);
    t.admission.failure = null;
    expect((await postJson(`${t.url}/hooks/uptime-kuma`, exampleText('uptime-kuma/down.json'))).status).toBe(202);
  });
});
