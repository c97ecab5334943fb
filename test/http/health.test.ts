import { afterEach, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../runtime/http/app.ts';
import { exampleText } from '../sources/examples.ts';
import { answer, postJson, request, startTestServer, type TestServer } from './harness.ts';

let t: TestServer;
afterEach(async () => t.close());

describe('health', () => {
  it('/healthz answers 200 while the process serves, even shutting down', async () => {
    t = await startTestServer();
    expect((await request(`${t.url}/healthz`)).json).toEqual({ status: 'ok' });
    t.setAccepting(false);
    expect((await request(`${t.url}/healthz`)).status).toBe(200);
  });

  it('/readyz is 200 when every check is ok, 503 with the failing ones otherwise', async () => {
    let report: ReadinessReport = { checks: { records: { ok: true }, state: { ok: true }, queue: { ok: true } } };
    t = await startTestServer({ readiness: async () => report });
    const ready = await request(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: report.checks });

    report = { checks: { records: { ok: true }, state: { ok: false, message: 'ECONNREFUSED 127.0.0.1:6379' }, queue: { ok: true } } };
    const down = await request(`${t.url}/readyz`);
    expect(down.status).toBe(503);
    expect(answer(down, 'readiness').checks['state']).toEqual({ ok: false, message: 'ECONNREFUSED 127.0.0.1:6379' });
  });

  it('/readyz is 503 when the readiness probe throws or the service is shutting down', async () => {
    let fail = true;
    t = await startTestServer({
      readiness: async () => {
        if (fail) throw new Error('probe timed out');
        return { checks: { records: { ok: true } } };
      },
    });
    const thrown = await request(`${t.url}/readyz`);
    expect(thrown.status).toBe(503);
    expect(answer(thrown, 'readiness').checks['readiness']).toEqual({ ok: false, message: 'probe timed out' });
    fail = false;
    t.setAccepting(false);
    const closing = await request(`${t.url}/readyz`);
    expect(closing.status).toBe(503);
    expect(answer(closing, 'readiness').checks['accepting']).toEqual({ ok: false, message: 'shutting down' });
  });

  it('/metrics renders the registry with its content type, queue depth read first', async () => {
    let depth = 7;
    t = await startTestServer({ queueDepth: async () => depth });
    await postJson(`${t.url}/hooks/alertmanager`, exampleText('alertmanager/group-firing.json'));
    const reply = await request(`${t.url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe(t.deps.metrics.registry.contentType);
    expect(reply.text).toContain('engine_events_received_total{source="alertmanager",result="accepted"} 2');
    expect(reply.text).toContain('engine_queue_depth 7');
    depth = 3;
    expect((await request(`${t.url}/metrics`)).text).toContain('engine_queue_depth 3');
  });

  it('/metrics still renders when the queue depth cannot be read', async () => {
    t = await startTestServer({
      queueDepth: async () => {
        throw new Error('redis down');
      },
    });
    const reply = await request(`${t.url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('engine_events_received_total');
    expect(t.logs.some((l) => l['msg'] === 'queue depth unavailable for /metrics')).toBe(true);
  });
});
