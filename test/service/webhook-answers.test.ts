import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../runtime/service/server.ts';
import { startTestServer, type TestServer } from '../support/embedded-server.ts';
import { answer, postJson, request } from '../http/harness.ts';

/**
 * What a webhook's answer and GET /events say once real admission has judged the events: the
 * embedded profile (SQLite) over HTTP, at a fixed time, with the tests' own two playbooks
 * (test/fixtures/answer-playbooks: `remediate` has a 5-minute stale gate, `record` no gate).
 */

const NOW = '2026-11-21T23:04:00.000Z';
const DAY_MS = 86_400_000;
const root = join(import.meta.dirname, '../..');
const example = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, 'examples', path), 'utf8')) as Record<string, unknown>;
const llm = JSON.parse(readFileSync(join(root, 'examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;

/** The captured Alertmanager alert, as Alertmanager repeats it after it has fired for `ageMs`. */
function firingSince(ageMs: number): Record<string, unknown> {
  const body = example('alertmanager/firing.json');
  const alerts = body['alerts'] as Array<Record<string, unknown>>;
  alerts[0]!['startsAt'] = new Date(Date.parse(NOW) - ageMs).toISOString();
  return body;
}

describe('webhook answers with real admission (embedded profile)', () => {
  let t: TestServer;
  let server: RunningServer | null = null;

  beforeEach(async () => {
    t = await startTestServer({ env: { PLAYBOOKS_DIR: join(root, 'test/fixtures/answer-playbooks') }, fixture: { now: NOW, llm } });
    server = t.server;
  });
  afterEach(async () => {
    await t.close();
    server = null;
  });

  it('accepts an alert that has fired for 8 days, records it, and lets the stale gate skip its run', async () => {
    const reply = await postJson(`${server!.url}/hooks/alertmanager`, firingSince(8 * DAY_MS));
    expect(reply.status, reply.text).toBe(202);
    const hook = answer(reply, 'hook');
    const stale = { playbook: 'remediate', reason: expect.stringMatching(/^stale: event is 192h old, limit 5m$/) };
    expect(hook.skipped).toEqual([stale]);
    expect(hook.started).toEqual([{ run: hook.runs[0], playbook: 'record' }]);
    expect(hook.events).toHaveLength(1);

    await server!.settled();
    const listed = answer(await request(`${server!.url}/events?source=alertmanager`), 'events').events;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      eventId: hook.events[0],
      runs: hook.runs,
      skipped: [stale],
      event: { source: 'alertmanager', at: new Date(Date.parse(NOW) - 8 * DAY_MS).toISOString() },
    });
  });

  it('says which playbook each run belongs to: runs, and started [{run, playbook}]', async () => {
    const reply = await postJson(`${server!.url}/hooks/alertmanager`, example('alertmanager/group-partial.json'));
    expect(reply.status, reply.text).toBe(202);
    const hook = answer(reply, 'hook');
    // Two alerts: the firing one starts both playbooks, the resolved one only `record`.
    expect(hook.started.map((s) => s.playbook).sort()).toEqual(['record', 'record', 'remediate']);
    expect(hook.started.map((s) => s.run)).toEqual(hook.runs);
    await server!.settled();
    for (const { run, playbook } of hook.started) {
      const view = answer(await request(`${server!.url}/runs/${run}`), 'run');
      expect(view.playbook.name).toBe(playbook);
    }
  });

  it('lists accepted and refused requests in GET /events, with no password in clear', async () => {
    const body = example('alertmanager/firing.json');
    const labels = (body['alerts'] as Array<{ labels: Record<string, string> }>)[0]!.labels;
    labels['db_password'] = 'hunter2-accepted';
    expect((await postJson(`${server!.url}/hooks/alertmanager`, body)).status).toBe(202);
    labels['db_password'] = 'hunter2-refused';
    labels['service'] = 'nginx\n';
    expect((await postJson(`${server!.url}/hooks/alertmanager`, body)).status).toBe(422);
    await server!.settled();

    const reply = await request(`${server!.url}/events`);
    expect(reply.text).not.toMatch(/hunter2/);
    const listed = answer(reply, 'events').events;
    expect(listed.map((e) => e.result)).toEqual(['accepted', 'refused']); // same millisecond: the event first
    const [accepted, refused] = listed;
    expect(refused).toMatchObject({ result: 'refused', source: 'alertmanager', status: 422, code: 'CONTROL_CHARACTER', path: 'alerts[0].labels.service' });
    expect(refused!.excerpt).toContain('"db_password":"[REDACTED]"');
    expect(accepted).toMatchObject({ result: 'accepted', source: 'alertmanager', event: { labels: { db_password: '[REDACTED]', service: 'nginx' } } });
  });

  it('still refuses a time more than a day ahead', async () => {
    const reply = await postJson(`${server!.url}/hooks/alertmanager`, firingSince(-2 * DAY_MS));
    expect(reply.status).toBe(422);
    expect(answer(reply, 'error').error).toMatchObject({ code: 'FUTURE_TIMESTAMP', path: 'alerts[0].startsAt' });
  });
});
