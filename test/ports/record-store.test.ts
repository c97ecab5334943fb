import { describe, expect, it } from 'vitest';
import type { AuditRow, RunRecord } from '../../engine/ports/record-store.ts';
import { InMemoryRecordStore } from '../../runtime/inmemory/record-store.ts';

const playbook = { name: 'supervisor', version: '3.0.0', hash: 'sha256:abc' };

function pending(auditId: string): AuditRow {
  return {
    auditId,
    runId: 'run_0001',
    at: '2025-01-15T10:00:00.000Z',
    decisionSource: 'N1_CONSENSUS',
    intent: 'restart_service',
    target: 'nginx',
    host: 'web-01',
    validatedCommand: 'systemctl restart -- nginx',
    argv: ['systemctl', 'restart', '--', 'nginx'],
    playbook,
    shadow: false,
    status: 'pending_execution',
  };
}

const done = {
  status: 'success' as const,
  executedAt: '2025-01-15T10:00:02.000Z',
  result: { exitCode: 0, stdout: 'ok', stderr: '' },
};

describe('InMemoryRecordStore audit', () => {
  it('appends a completion as a new row and never rewrites the pending one', async () => {
    const records = new InMemoryRecordStore();
    await records.appendAudit(pending('audit_0001'));
    await records.completeAudit('audit_0001', done);
    const rows = records.auditRows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(pending('audit_0001'));
    expect(rows[1]).toEqual({ ...pending('audit_0001'), ...done });
  });

  it('shows the latest state per audit id, in first-written order', async () => {
    const records = new InMemoryRecordStore();
    await records.appendAudit(pending('audit_0001'));
    await records.appendAudit(pending('audit_0002'));
    await records.completeAudit('audit_0001', done);
    const view = records.auditView();
    expect(view.map((r) => [r.auditId, r.status])).toEqual([
      ['audit_0001', 'success'],
      ['audit_0002', 'pending_execution'],
    ]);
  });

  it('refuses a duplicate audit id, an unknown completion and a second completion', async () => {
    const records = new InMemoryRecordStore();
    await records.appendAudit(pending('audit_0001'));
    await expect(records.appendAudit(pending('audit_0001'))).rejects.toMatchObject({ code: 'AUDIT_DUPLICATE' });
    await expect(records.completeAudit('audit_9999', done)).rejects.toMatchObject({ code: 'AUDIT_UNKNOWN' });
    await records.completeAudit('audit_0001', done);
    await expect(records.completeAudit('audit_0001', { status: 'failure' })).rejects.toMatchObject({
      code: 'AUDIT_ALREADY_COMPLETED',
    });
    expect(records.auditRows()).toHaveLength(2);
  });

  it('keeps a completion without result or executedAt as given', async () => {
    const records = new InMemoryRecordStore();
    await records.appendAudit({ ...pending('audit_0001'), shadow: true });
    await records.completeAudit('audit_0001', { status: 'shadowed' });
    const last = records.auditRows()[1];
    expect(last?.status).toBe('shadowed');
    expect(last).not.toHaveProperty('result');
    expect(last).not.toHaveProperty('executedAt');
  });

  it('copies rows in and out', async () => {
    const records = new InMemoryRecordStore();
    const row = pending('audit_0001');
    await records.appendAudit(row);
    row.argv.push('--force');
    row.status = 'failure';
    const out = records.auditRows();
    out[0]!.argv.length = 0;
    records.auditView()[0]!.target = 'evil';
    expect(records.auditRows()[0]).toEqual(pending('audit_0001'));
  });
});

describe('InMemoryRecordStore runs', () => {
  const run = (status: string): RunRecord => ({
    runId: 'run_0001',
    playbook,
    status,
    startedAt: '2025-01-15T10:00:00.000Z',
    trace: [],
  });

  it('saves and replaces a run by id, keeping first-saved order', async () => {
    const records = new InMemoryRecordStore();
    await records.saveRun(run('running'));
    await records.saveRun({ ...run('running'), runId: 'run_0002' });
    await records.saveRun({ ...run('succeeded'), endedAt: '2025-01-15T10:00:05.000Z' });
    expect(records.run('run_0001')).toMatchObject({ status: 'succeeded', endedAt: '2025-01-15T10:00:05.000Z' });
    expect(records.runs().map((r) => r.runId)).toEqual(['run_0001', 'run_0002']);
    expect(records.run('run_9999')).toBeNull();
  });

  it('copies runs in and out', async () => {
    const records = new InMemoryRecordStore();
    const r = run('running');
    await records.saveRun(r);
    r.status = 'mutated';
    records.run('run_0001')!.status = 'mutated too';
    records.runs()[0]!.playbook.name = 'other';
    expect(records.run('run_0001')).toEqual(run('running'));
  });
});
