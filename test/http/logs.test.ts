import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/embedded-server.ts';

describe('GET /logs/:name: what playbooks kept in a named log', () => {
  let t: TestServer | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('lists a log newest first, bounded by limit, secrets masked; a bad name is a 400 with its path', async () => {
    t = await startTestServer();
    const records = t.server.profile.records;
    for (const n of [1, 2, 3]) {
      await records.appendLog({ log: 'incident_log', runId: `run_${n}`, playbook: 'sentinel', at: `2026-11-21T23:0${n}:00.000Z`, record: { device: `sw-${n}`, password: 'hunter2-secret' } });
    }
    const res = await fetch(`${t.server.url}/logs/incident_log?limit=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { log: string; records: { runId: string; record: Record<string, unknown> }[] };
    expect(body.log).toBe('incident_log');
    expect(body.records.map((r) => r.runId)).toEqual(['run_3', 'run_2']);
    expect(body.records[0]!.record).toEqual({ device: 'sw-3', password: '[REDACTED]' });
    const bad = await fetch(`${t.server.url}/logs/Incident-Log`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_QUERY', path: 'name' } });
  });
});
