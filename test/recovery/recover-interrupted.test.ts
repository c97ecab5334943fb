import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/observability/logger.ts';
import type { JournalEntry } from '../../runtime/records/journal.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { recoverInterruptedRuns } from '../../runtime/worker/recovery.ts';
import { at, auditRow, completed, eventRecord, runRow } from '../records/fixtures.ts';

const entry = (seq: number, kind: JournalEntry['kind'], body: unknown, effectId: string | null = null): JournalEntry => ({ runId: 'run_0001', seq, kind, effectId, at: at(seq), body });

/** Which interrupted runs are taken up again, from their journal, and which go to people. */
describe('recovery of runs a stopped process left running', () => {
  let records: SqliteRecords;
  const enqueued: string[] = [];
  const recover = () => recoverInterruptedRuns({ records, queue: { enqueue: async (ids: readonly string[]) => void enqueued.push(...ids) } as never, logger: createLogger({ level: 'silent' }) }, at(100), at(100));

  beforeEach(async () => {
    records = new SqliteRecords(openDatabase(':memory:'));
    enqueued.length = 0;
    await records.commitIngest({ events: [eventRecord('evt_0001', { runs: ['run_0001'] })], runs: [runRow('run_0001')] });
  });
  afterEach(() => records.close());

  /** Takes the run `times` times (each take counts an attempt); it is left running. */
  const take = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await records.startRun('run_0001', at(1 + i));
      if (i < times - 1) await records.requeueRun('run_0001');
    }
  };

  it('a journaled run is queued again, even one that ran a command: the worker reconciles it from the journal', async () => {
    await take(1);
    await records.appendJournal([entry(1, 'start', { startedAt: 0 })]);
    await records.appendAudit(auditRow('audit_1', { runId: 'run_0001' }));
    await records.completeAudit('audit_1', completed);
    expect(await recover()).toEqual({ requeued: ['run_0001'], failed: [] });
    expect(enqueued).toEqual(['run_0001']);
  });

  it('takes after a decision or a timer are not interruptions: a run woken twice and then stopped is taken up again', async () => {
    await take(3);
    await records.appendJournal([
      entry(1, 'start', { startedAt: 0 }),
      entry(2, 'decision', { effectId: 'run_0001/ask/1/3', outcome: { ok: true, value: { decision: 'approved' } }, at: 2 }),
      entry(3, 'timer', { effectId: 'run_0001/settle/1/1', outcome: { ok: true, value: { firedAt: at(3) } }, at: 3 }),
    ]);
    expect((await recover()).requeued).toEqual(['run_0001']);
  });

  it('a run interrupted three times is failed, and says so', async () => {
    await take(3);
    await records.appendJournal([entry(1, 'start', { startedAt: 0 })]);
    expect(await recover()).toEqual({ requeued: [], failed: [{ runId: 'run_0001', reason: 'interrupted 3 times; not retried again' }] });
    expect((await records.getRun('run_0001'))?.status).toBe('failed');
  });

  it('a run without a journal (admitted by an older engine) that ran a command goes to people, naming it', async () => {
    await take(1);
    await records.appendAudit(auditRow('audit_1', { runId: 'run_0001' }));
    expect((await recover()).failed).toEqual([
      { runId: 'run_0001', reason: 'interrupted while executing restart_service on nginx@web-01 (systemctl restart -- nginx); not retried because the command may have run: check the host' },
    ]);
  });
});
