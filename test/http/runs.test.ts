import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRow, eventRecord, runRow, summary } from '../records/fixtures.ts';
import { answer, errorOf, request, startTestServer, type TestServer } from './harness.ts';

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
    expect(errorOf(reply).code).toBe('UNKNOWN_RUN');
    expect((await request(`${t.url}/runs/${'x'.repeat(300)}`)).status).toBe(404);
  });

  it('a finished run: the dry-run shape and where it stands', async () => {
    const reply = await request(`${t.url}/runs/run_0002`);
    expect(reply.status).toBe(200);
    const want = summary('run_0002', 'succeeded');
    const run = answer(reply, 'run');
    expect(run).toMatchObject({ ...want, status: 'succeeded', eventId: 'evt_0001', attempts: 1 });
    expect(run.startedAt).toBe('2025-01-15T10:00:05.000Z');
    expect(run.endedAt).toBe('2025-01-15T10:00:09.000Z');
  });

  it('a queued run: the same keys, gates from admission, nothing run yet', async () => {
    const queued = answer(await request(`${t.url}/runs/run_0001`), 'run');
    const finished = answer(await request(`${t.url}/runs/run_0002`), 'run');
    expect(Object.keys(queued).sort()).toEqual(Object.keys(finished).sort());
    expect(queued).toMatchObject({
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
    expect(queued.trace).toHaveLength(2);
  });
});

describe('the lists', () => {
  beforeEach(async () => {
    t = await startTestServer();
    await seed();
  });
  afterEach(async () => t.close());

  it('GET /runs filters by status and playbook, without traces', async () => {
    const all = answer(await request(`${t.url}/runs`), 'runs').runs;
    expect(all.map((r) => r.runId).sort()).toEqual(['run_0001', 'run_0002']);
    expect(all[0]).not.toHaveProperty('trace');
    const queued = answer(await request(`${t.url}/runs?status=queued&playbook=supervisor&limit=10`), 'runs').runs;
    expect(queued.map((r) => r.runId)).toEqual(['run_0001']);
    expect(answer(await request(`${t.url}/runs?playbook=other`), 'runs').runs).toEqual([]);
  });

  it('GET /events and GET /audit', async () => {
    const events = answer(await request(`${t.url}/events?source=alertmanager`), 'events').events;
    expect(events.map((e) => e.eventId)).toEqual(['evt_0002']);
    const audit = answer(await request(`${t.url}/audit?run=run_0002&status=pending_execution&since=2025-01-15T10:00:00Z`), 'audit').audit;
    expect(audit.map((a) => a.auditId)).toEqual(['aud_0001']);
    expect(answer(await request(`${t.url}/audit?since=2025-01-16T00:00:00%2B01:00`), 'audit').audit).toEqual([]);
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
      expect(errorOf(reply).code).toBe('BAD_QUERY');
    }
    expect(errorOf(await request(`${t.url}/audit?since=yesterday`)).parameter).toBe('since');
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
