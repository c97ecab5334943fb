import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identicalAlert, kumaTime, variedAlerts } from '../../bench/runtime/fixtures.ts';
import { stormAccounting } from '../../bench/runtime/storm.ts';
import type { RunningServer } from '../../runtime/service/server.ts';
import { startTestServer, type TestServer } from '../support/embedded-server.ts';

const NOW = Date.parse('2026-11-21T23:04:00Z');
const llm = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;

describe('runtime bench fixtures', () => {
  it('writes heartbeat.time the way Uptime Kuma does (UTC, space, milliseconds)', () => {
    expect(kumaTime(NOW + 623)).toBe('2026-11-21 23:04:00.623');
  });

  it('gives each varied alert its own monitor, and the identical alert always monitor 1', () => {
    const alert = variedAlerts(NOW);
    const a = JSON.parse(alert(7));
    const b = JSON.parse(alert(8));
    expect([a.monitor.id, a.monitor.name, b.monitor.id]).toEqual(['7', 'web-1 svc7', '8']);
    expect(JSON.parse(identicalAlert(NOW)).monitor.id).toBe(1);
  });
});

describe('alert storm accounting (the storm bench, 200 alerts, manual clock)', () => {
  let t: TestServer;
  let server: RunningServer | null = null;

  beforeEach(async () => {
    t = await startTestServer({ fixture: { now: new Date(NOW).toISOString(), llm } });
    server = t.server;
  });
  afterEach(async () => {
    await t.close();
    server = null;
  });

  it('records every alert: one run, the other 199 skipped for dedup', async () => {
    const body = identicalAlert(NOW - 20_000);
    const statuses: number[] = [];
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${server!.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.every((s) => s === 202)).toBe(true);
    await server!.settled();

    const count = await stormAccounting(server!.profile.records, 200);
    expect(count).toEqual({ events: 200, runs: 1, runRows: 1, dedupSkipped: 199, other: 0, problems: [] });
    expect((await server!.profile.records.listRuns({ limit: 2 }))[0]?.status).toBe('succeeded');
    // The same records counted against a different storm size are reported wrong.
    expect((await stormAccounting(server!.profile.records, 201)).problems).toEqual([
      '200 event records for 201 alerts',
      '199 events skipped for dedup, expected 200',
    ]);
  });
});
