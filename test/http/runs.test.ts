import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRow, eventRecord, runRow, summary } from '../records/fixtures.ts';
import { request, startTestServer, type TestServer } from './harness.ts';

let t: TestServer;

async function seed(): Promise<void> {
  await t.records.commitIngest({
    events: [eventRecord('evt_0001', { runs: ['run_0001', 'run_0002'] }), eventRecord('evt_0002', { source: 'alertmanager' })],
    runs: [runRow('run_0001'), runRow('run_0002')],
  });
  await t.records.startRun('run_0002', '2025-01-15T10:00:05.000Z');
  await t.records.finishRun('run_0002', 'succeeded', summary('run_0002', 'succeeded'), '2025-01-15T10:00:09.000Z');
  await t.records.appendAudit(auditRow('aud_0001', { runId: 'run_0002' }));
}

describe('GET /runs/:id', () => {
  beforeEach(async () => {
    t = await startTestServer();
    await seed();
  });
  afterEach(async () => t.close());

  it('404 for an unknown run', async () => {
    const reply = await request(`${t.url}/runs/run_9999`);
    expect(reply.status).toBe(404);
    expect(reply.json.error.code).toBe('UNKNOWN_RUN');
    expect((await request(`${t.url}/runs/${'x'.repeat(300)}`)).status).toBe(404);
  });

  it('a finished run: the dry-run shape and where it stands', async () => {
    const reply = await request(`${t.url}/runs/run_0002`);
    expect(reply.status).toBe(200);
    const want = summary('run_0002', 'succeeded');
    expect(reply.json).toMatchObject({ ...want, status: 'succeeded', eventId: 'evt_0001', attempts: 1 });
    expect(reply.json.startedAt).toBe('2025-01-15T10:00:05.000Z');
    expect(reply.json.endedAt).toBe('2025-01-15T10:00:09.000Z');
  });

  it('a queued run: the same keys, gates from admission, nothing run yet', async () => {
    const reply = await request(`${t.url}/runs/run_0001`);
    const finished = await request(`${t.url}/runs/run_0002`);
    expect(Object.keys(reply.json).sort()).toEqual(Object.keys(finished.json).sort());
    expect(reply.json).toMatchObject({
      runId: 'run_0001',
      status: 'queued',
      gates: [
        { gate: 'dedup', verdict: 'pass', reason: 'first seen' },
        { gate: 'rate', verdict: 'pass', reason: '1 of 3 in 1h' },
      ],
      path: [],
      commands: [],
      refusals: [],
      outcome: null,
      startedAt: null,
      attempts: 0,
    });
    expect(reply.json.trace).toHaveLength(2);
  });
});

describe('the lists', () => {
  beforeEach(async () => {
    t = await startTestServer();
    await seed();
  });
  afterEach(async () => t.close());

  it('GET /runs filters by status and playbook, without traces', async () => {
    const all = await request(`${t.url}/runs`);
    expect(all.json.runs.map((r: { runId: string }) => r.runId).sort()).toEqual(['run_0001', 'run_0002']);
    expect(all.json.runs[0].trace).toBeUndefined();
    const queued = await request(`${t.url}/runs?status=queued&playbook=supervisor&limit=10`);
    expect(queued.json.runs.map((r: { runId: string }) => r.runId)).toEqual(['run_0001']);
    expect((await request(`${t.url}/runs?playbook=other`)).json.runs).toEqual([]);
  });

  it('GET /events and GET /audit', async () => {
    const events = await request(`${t.url}/events?source=alertmanager`);
    expect(events.json.events.map((e: { eventId: string }) => e.eventId)).toEqual(['evt_0002']);
    const audit = await request(`${t.url}/audit?run=run_0002&status=pending_execution&since=2025-01-15T10:00:00Z`);
    expect(audit.json.audit.map((a: { auditId: string }) => a.auditId)).toEqual(['aud_0001']);
    expect((await request(`${t.url}/audit?since=2025-01-16T00:00:00%2B01:00`)).json.audit).toEqual([]);
  });

  it('400 for bad parameters', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=1&limit=2',
      'status=done',
      'stauts=failed',
      'playbook=',
    ]) {
      const reply = await request(`${t.url}/runs?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.code).toBe('BAD_QUERY');
    }
    expect((await request(`${t.url}/audit?since=yesterday`)).json.error.parameter).toBe('since');
    expect((await request(`${t.url}/audit?status=ok`)).status).toBe(400);
    expect((await request(`${t.url}/events?limit=500`)).status).toBe(200);
  });
});

describe('readAuth', () => {
  beforeEach(async () => {
    t = await startTestServer({ readAuth: { bearer: 'read-token-long-enough' } });
    await seed();
  });
  afterEach(async () => t.close());

  it('guards the read endpoints, not health', async () => {
    for (const path of ['/runs/run_0001', '/runs', '/events', '/audit']) {
      const reply = await request(`${t.url}${path}`);
      expect(reply.status, path).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const ok = await request(`${t.url}/runs/run_0001`, { headers: { authorization: 'Bearer read-token-long-enough' } });
    expect(ok.status).toBe(200);
    expect((await request(`${t.url}/healthz`)).status).toBe(200);
  });
});
