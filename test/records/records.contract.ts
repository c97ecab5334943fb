import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Records } from '../../runtime/records/records.ts';
import { at, auditRow, completed, eventRecord, playbookRef, runRow, summary } from './fixtures.ts';

export interface RecordsSubject {
  records: Records;
  /** Ends the subject (drops its schema, closes its pool). Called after `records.close()` in some tests. */
  close(): Promise<void>;
}

/**
 * The Records contract, run against every adapter (SQLite, PostgreSQL). Each test starts from an
 * empty store. It uses only the port, so what it pins down is what the runtime may rely on:
 *
 * - `commitIngest` is all or nothing; a repeated run id fails it with RUN_DUPLICATE, a repeated
 *   event id with EVENT_DUPLICATE.
 * - `startRun` takes a `queued` run once, even under concurrent calls.
 * - `finishRun` stores status, result, reason and decision (from the result) and `endedAt`, except
 *   for `waiting`, which is not an end; RUN_UNKNOWN for a missing run, RUN_INVALID_STATUS for
 *   `queued`/`running`. `requeueRun` turns a `running` run back to `queued` (startedAt cleared,
 *   attempts kept); RUN_UNKNOWN or RUN_NOT_RUNNING otherwise.
 * - Orders: `queuedRuns` oldest `queuedAt` first, ties in commit order; `runningRuns` oldest
 *   `startedAt` first; `listRuns` newest `queuedAt` first, ties latest commit first; `listEvents`
 *   latest commit first. Times are ISO strings returned exactly as given.
 * - The audit is append-only: AUDIT_DUPLICATE, AUDIT_UNKNOWN, AUDIT_ALREADY_COMPLETED; a completion
 *   is a second row. `listAudit` shows the latest row of each entry, newest entry first; its
 *   `status` filter applies to that latest state, `since` to `at`.
 * - `close()` may be followed by the subject's `close()`, and `ping()` then rejects.
 */
export function recordsContract(name: string, make: () => Promise<RecordsSubject>): void {
  describe(`Records contract: ${name}`, () => {
    let subject: RecordsSubject;
    let records: Records;

    beforeEach(async () => {
      subject = await make();
      records = subject.records;
    });
    afterEach(async () => {
      await subject.close();
    });

    /** Commits one event with the given queued runs. */
    const ingest = async (eventId: string, ...runs: ReturnType<typeof runRow>[]): Promise<void> => {
      const events = [eventRecord(eventId, { runs: runs.map((r) => r.runId) })];
      await records.commitIngest({ events, runs: runs.map((r) => ({ ...r, eventId })) });
    };

    describe('commitIngest', () => {
      it('commits events and runs that read back exactly as written', async () => {
        const webhook = eventRecord('evt_0001', { runs: ['run_0001'] });
        const schedule = eventRecord('evt_0002', {
          source: 'schedule',
          event: null,
          summary: 'schedule nightly-check fired',
          runs: ['run_0002'],
          skipped: [],
        });
        const noted = eventRecord('evt_0003', { event: null, runs: [], skipped: [], note: 'test notification' });
        const run1 = runRow('run_0001', { eventId: 'evt_0001', shadow: true });
        const run2 = runRow('run_0002', {
          eventId: 'evt_0002',
          trigger: 'schedule',
          event: null,
          admission: [],
          playbook: playbookRef('nightly-check'),
        });
        await records.commitIngest({ events: [webhook, schedule, noted], runs: [run1, run2] });

        expect(await records.getRun('run_0001')).toEqual(run1);
        expect(await records.getRun('run_0002')).toEqual(run2);
        expect(await records.listEvents({ limit: 10 })).toEqual([noted, schedule, webhook]);
      });

      it('accepts an empty batch and an event without runs', async () => {
        await records.commitIngest({ events: [], runs: [] });
        await records.commitIngest({ events: [eventRecord('evt_0001')], runs: [] });
        expect(await records.listEvents({ limit: 10 })).toEqual([eventRecord('evt_0001')]);
      });

      it('fails whole on a run id repeated in the batch: nothing is written', async () => {
        const batch = {
          events: [eventRecord('evt_0001', { runs: ['run_0001', 'run_0002'] })],
          runs: [runRow('run_0001'), runRow('run_0002'), runRow('run_0001')],
        };
        await expect(records.commitIngest(batch)).rejects.toMatchObject({ code: 'RUN_DUPLICATE' });
        expect(await records.listEvents({ limit: 10 })).toEqual([]);
        expect(await records.getRun('run_0001')).toBeNull();
        expect(await records.getRun('run_0002')).toBeNull();
        expect(await records.listRuns({ limit: 10 })).toEqual([]);
      });

      it('fails whole on a run id already committed, leaving the first run as it was', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        const again = {
          events: [eventRecord('evt_0002', { runs: ['run_0002', 'run_0001'] })],
          runs: [runRow('run_0002', { eventId: 'evt_0002' }), runRow('run_0001', { eventId: 'evt_0002', shadow: true })],
        };
        await expect(records.commitIngest(again)).rejects.toMatchObject({ code: 'RUN_DUPLICATE' });
        expect((await records.listEvents({ limit: 10 })).map((e) => e.eventId)).toEqual(['evt_0001']);
        expect(await records.getRun('run_0002')).toBeNull();
        expect(await records.getRun('run_0001')).toMatchObject({ eventId: 'evt_0001', shadow: false });
      });

      it('fails whole on an event id already committed', async () => {
        await ingest('evt_0001');
        const again = { events: [eventRecord('evt_0001')], runs: [runRow('run_0009', { eventId: 'evt_0001' })] };
        await expect(records.commitIngest(again)).rejects.toMatchObject({ code: 'EVENT_DUPLICATE' });
        expect(await records.getRun('run_0009')).toBeNull();
        expect(await records.listEvents({ limit: 10 })).toHaveLength(1);
      });
    });

    describe('startRun', () => {
      it('takes a queued run: running, one attempt, started at the given time', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        const started = await records.startRun('run_0001', at(5));
        const expected = { ...runRow('run_0001'), status: 'running', startedAt: at(5), attempts: 1 };
        expect(started).toEqual(expected);
        expect(await records.getRun('run_0001')).toEqual(expected);
      });

      it('takes a run only once', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        expect(await records.startRun('run_0001', at(5))).not.toBeNull();
        expect(await records.startRun('run_0001', at(6))).toBeNull();
        expect(await records.getRun('run_0001')).toMatchObject({ startedAt: at(5), attempts: 1 });
      });

      it('gives a run to exactly one of concurrent callers', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        const results = await Promise.all([records.startRun('run_0001', at(5)), records.startRun('run_0001', at(5))]);
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect(results.filter((r) => r === null)).toHaveLength(1);
        const many = await Promise.all(Array.from({ length: 10 }, () => records.startRun('run_0001', at(6))));
        expect(many.every((r) => r === null)).toBe(true);
        expect(await records.getRun('run_0001')).toMatchObject({ status: 'running', attempts: 1 });
      });

      it('returns null for an unknown run and for a run that ended', async () => {
        expect(await records.startRun('run_9999', at(5))).toBeNull();
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        await records.finishRun('run_0001', 'succeeded', summary('run_0001', 'succeeded'), at(9));
        expect(await records.startRun('run_0001', at(10))).toBeNull();
        expect(await records.getRun('run_0001')).toMatchObject({ status: 'succeeded', attempts: 1 });
      });
    });

    describe('named logs', () => {
      it('appends records to a named log and lists them newest first, one log apart from another', async () => {
        const entry = (n: number, log = 'incident_log') => ({ log, runId: `run_000${n}`, playbook: 'sentinel', at: at(n), record: { device: `sw-${n}`, responsibility: 'fai', confidence: 85, tags: ['#DIAG'] } });
        await records.appendLog(entry(1));
        await records.appendLog(entry(2, 'agent_log'));
        await records.appendLog(entry(3));
        expect(await records.listLog('incident_log', 10)).toEqual([entry(3), entry(1)]);
        expect(await records.listLog('incident_log', 1)).toEqual([entry(3)]);
        expect(await records.listLog('agent_log', 10)).toEqual([entry(2, 'agent_log')]);
        expect(await records.listLog('nothing', 10)).toEqual([]);
      });
    });

    describe('livePlaybookHashes', () => {
      it('lists the versions of queued, running and waiting runs once each, not of ended ones', async () => {
        const v1 = { ...runRow('run_0001'), playbook: { name: 'p', version: '1', hash: 'sha256:one' } };
        const v2 = { ...runRow('run_0002'), playbook: { name: 'p', version: '2', hash: 'sha256:two' } };
        const v1b = { ...runRow('run_0003'), playbook: { name: 'p', version: '1', hash: 'sha256:one' } };
        const old = { ...runRow('run_0004'), playbook: { name: 'p', version: '0', hash: 'sha256:zero' } };
        await ingest('evt_0001', v1, v2, v1b, old);
        await records.startRun('run_0002', at(5));
        await records.finishRun('run_0002', 'waiting', summary('run_0002', 'waiting'), at(6));
        await records.startRun('run_0004', at(5));
        await records.finishRun('run_0004', 'succeeded', summary('run_0004', 'succeeded'), at(6));
        expect((await records.livePlaybookHashes()).sort()).toEqual(['sha256:one', 'sha256:two']);
      });
    });

    describe('resumeRun', () => {
      it('puts a waiting run back to queued once, keeping its attempts; false when it is not waiting', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        await records.finishRun('run_0001', 'waiting', summary('run_0001', 'waiting'), at(9));
        expect(await records.resumeRun('run_0001')).toBe(true);
        expect(await records.getRun('run_0001')).toMatchObject({ status: 'queued', startedAt: null, endedAt: null, attempts: 1 });
        expect(await records.resumeRun('run_0001')).toBe(false);
        expect((await records.startRun('run_0001', at(12)))?.attempts).toBe(2);
        await expect(records.resumeRun('run_nope')).rejects.toMatchObject({ code: 'RUN_UNKNOWN' });
      });
    });

    describe('finishRun and requeueRun', () => {
      it('stores the end: status, result, reason and decision from it, end time', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        const result = summary('run_0001', 'failed');
        await records.finishRun('run_0001', 'failed', result, at(9));
        expect(await records.getRun('run_0001')).toEqual({
          ...runRow('run_0001'),
          status: 'failed',
          startedAt: at(5),
          endedAt: at(9),
          attempts: 1,
          reason: 'ssh timeout after 30s',
          decision: 'restart',
          result,
        });
      });

      it('parks a run in waiting without ending it', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        await records.finishRun('run_0001', 'waiting', summary('run_0001', 'waiting'), at(9));
        expect(await records.getRun('run_0001')).toMatchObject({
          status: 'waiting',
          endedAt: null,
          result: summary('run_0001', 'waiting'),
        });
      });

      it('refuses an unknown run and a status that is not an end', async () => {
        await expect(records.finishRun('run_9999', 'succeeded', summary('run_9999', 'succeeded'), at(9))).rejects.toMatchObject(
          { code: 'RUN_UNKNOWN' },
        );
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        for (const status of ['queued', 'running'] as const) {
          await expect(records.finishRun('run_0001', status, summary('run_0001', 'succeeded'), at(9))).rejects.toMatchObject({
            code: 'RUN_INVALID_STATUS',
          });
        }
        expect(await records.getRun('run_0001')).toMatchObject({ status: 'running', result: null });
      });

      it('requeues a running run: queued again, startedAt cleared, attempts kept', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        await records.startRun('run_0001', at(5));
        await records.requeueRun('run_0001');
        expect(await records.getRun('run_0001')).toEqual({ ...runRow('run_0001'), attempts: 1 });
        expect(await records.queuedRuns(10)).toEqual([{ ...runRow('run_0001'), attempts: 1 }]);
        expect(await records.startRun('run_0001', at(20))).toMatchObject({ attempts: 2, startedAt: at(20) });
      });

      it('refuses to requeue an unknown run or one that is not running', async () => {
        await expect(records.requeueRun('run_9999')).rejects.toMatchObject({ code: 'RUN_UNKNOWN' });
        await ingest('evt_0001', runRow('run_0001'));
        await expect(records.requeueRun('run_0001')).rejects.toMatchObject({ code: 'RUN_NOT_RUNNING' });
        await records.startRun('run_0001', at(5));
        await records.finishRun('run_0001', 'succeeded', summary('run_0001', 'succeeded'), at(9));
        await expect(records.requeueRun('run_0001')).rejects.toMatchObject({ code: 'RUN_NOT_RUNNING' });
        expect(await records.getRun('run_0001')).toMatchObject({ status: 'succeeded' });
      });
    });

    describe('recovery queries', () => {
      it('lists runs still running that started before a time, oldest first', async () => {
        await ingest('evt_0001', runRow('run_0001'), runRow('run_0002'), runRow('run_0003'), runRow('run_0004'));
        await records.startRun('run_0002', at(10));
        await records.startRun('run_0001', at(20));
        await records.startRun('run_0003', at(30));
        await records.startRun('run_0004', at(15));
        await records.finishRun('run_0004', 'succeeded', summary('run_0004', 'succeeded'), at(16));
        expect((await records.runningRuns(at(30))).map((r) => r.runId)).toEqual(['run_0002', 'run_0001']);
        expect((await records.runningRuns(at(31))).map((r) => r.runId)).toEqual(['run_0002', 'run_0001', 'run_0003']);
        expect(await records.runningRuns(at(10))).toEqual([]);
        expect((await records.runningRuns(at(11)))[0]).toEqual({
          ...runRow('run_0002'),
          status: 'running',
          startedAt: at(10),
          attempts: 1,
        });
      });

      it('lists queued runs oldest first, ties in commit order, up to the limit', async () => {
        await ingest('evt_0001', runRow('run_0003', { queuedAt: at(30) }));
        await ingest('evt_0002', runRow('run_0001', { queuedAt: at(10) }), runRow('run_0002', { queuedAt: at(10) }));
        await ingest('evt_0003', runRow('run_0004', { queuedAt: at(20) }));
        await ingest('evt_0004', runRow('run_0005', { queuedAt: at(5) }));
        await records.startRun('run_0005', at(40));
        expect((await records.queuedRuns(10)).map((r) => r.runId)).toEqual(['run_0001', 'run_0002', 'run_0004', 'run_0003']);
        expect((await records.queuedRuns(2)).map((r) => r.runId)).toEqual(['run_0001', 'run_0002']);
      });
    });

    describe('listing', () => {
      it('gets a run by id, or null', async () => {
        await ingest('evt_0001', runRow('run_0001'));
        expect(await records.getRun('run_0001')).toEqual(runRow('run_0001'));
        expect(await records.getRun('run_0002')).toBeNull();
      });

      it('lists runs newest first, filtered by playbook and status, up to the limit', async () => {
        const disk = playbookRef('disk-cleanup');
        await ingest('evt_0001', runRow('run_0001', { queuedAt: at(10) }));
        await ingest('evt_0002', runRow('run_0002', { queuedAt: at(20), playbook: disk }));
        await ingest('evt_0003', runRow('run_0003', { queuedAt: at(30) }), runRow('run_0004', { queuedAt: at(30) }));
        await records.startRun('run_0001', at(40));
        const ids = async (filter: Parameters<Records['listRuns']>[0]): Promise<string[]> =>
          (await records.listRuns(filter)).map((r) => r.runId);
        expect(await ids({ limit: 10 })).toEqual(['run_0004', 'run_0003', 'run_0002', 'run_0001']);
        expect(await ids({ limit: 2 })).toEqual(['run_0004', 'run_0003']);
        expect(await ids({ limit: 10, playbook: 'supervisor' })).toEqual(['run_0004', 'run_0003', 'run_0001']);
        expect(await ids({ limit: 10, playbook: 'disk-cleanup' })).toEqual(['run_0002']);
        expect(await ids({ limit: 10, status: 'running' })).toEqual(['run_0001']);
        expect(await ids({ limit: 10, status: 'queued', playbook: 'supervisor' })).toEqual(['run_0004', 'run_0003']);
        expect(await ids({ limit: 10, playbook: 'nowhere' })).toEqual([]);
        expect((await records.listRuns({ limit: 10, status: 'running' }))[0]).toMatchObject({ startedAt: at(40) });
      });

      it('lists events newest first, filtered by source, up to the limit', async () => {
        await records.commitIngest({
          events: [eventRecord('evt_0001', { receivedAt: at(1) }), eventRecord('evt_0002', { source: 'alertmanager', receivedAt: at(2) })],
          runs: [],
        });
        await records.commitIngest({ events: [eventRecord('evt_0003', { receivedAt: at(3) })], runs: [] });
        const ids = async (filter: Parameters<Records['listEvents']>[0]): Promise<string[]> =>
          (await records.listEvents(filter)).map((e) => e.eventId);
        expect(await ids({ limit: 10 })).toEqual(['evt_0003', 'evt_0002', 'evt_0001']);
        expect(await ids({ limit: 1 })).toEqual(['evt_0003']);
        expect(await ids({ limit: 10, source: 'uptime-kuma' })).toEqual(['evt_0003', 'evt_0001']);
        expect(await ids({ limit: 10, source: 'alertmanager' })).toEqual(['evt_0002']);
        expect(await ids({ limit: 10, source: 'observium' })).toEqual([]);
      });
    });

    describe('audit (append-only)', () => {
      it('appends a completion as a second row; the trail keeps both in order', async () => {
        await records.appendAudit(auditRow('audit_0001'));
        await records.completeAudit('audit_0001', completed);
        expect(await records.auditTrail('run_0001')).toEqual([
          auditRow('audit_0001'),
          { ...auditRow('audit_0001'), ...completed },
        ]);
        expect(await records.listAudit({ limit: 10 })).toEqual([{ ...auditRow('audit_0001'), ...completed }]);
      });

      it('keeps optional fields absent when a completion has none', async () => {
        const row = auditRow('audit_0001', { target: null, host: null, shadow: true });
        await records.appendAudit(row);
        await records.completeAudit('audit_0001', { status: 'refused' });
        expect(await records.auditTrail('run_0001')).toStrictEqual([row, { ...row, status: 'refused' }]);
      });

      it('refuses a duplicate audit id and keeps the first row', async () => {
        await records.appendAudit(auditRow('audit_0001'));
        await expect(records.appendAudit(auditRow('audit_0001', { intent: 'other' }))).rejects.toMatchObject({
          code: 'AUDIT_DUPLICATE',
        });
        expect(await records.auditTrail('run_0001')).toEqual([auditRow('audit_0001')]);
      });

      it('refuses the completion of an unknown entry', async () => {
        await expect(records.completeAudit('audit_9999', completed)).rejects.toMatchObject({ code: 'AUDIT_UNKNOWN' });
        expect(await records.listAudit({ limit: 10 })).toEqual([]);
      });

      it('refuses a second completion, even from concurrent callers', async () => {
        await records.appendAudit(auditRow('audit_0001'));
        await records.completeAudit('audit_0001', completed);
        await expect(records.completeAudit('audit_0001', { status: 'failure' })).rejects.toMatchObject({
          code: 'AUDIT_ALREADY_COMPLETED',
        });
        await records.appendAudit(auditRow('audit_0002'));
        const outcomes = await Promise.allSettled([
          records.completeAudit('audit_0002', completed),
          records.completeAudit('audit_0002', { status: 'failure' }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === 'rejected');
        expect(rejected?.reason).toMatchObject({ code: 'AUDIT_ALREADY_COMPLETED' });
        expect(await records.auditTrail('run_0001')).toHaveLength(4);
      });

      it('lists the latest state of each entry, newest entry first, with filters and a limit', async () => {
        const disk = playbookRef('disk-cleanup');
        await records.appendAudit(auditRow('audit_0001', { at: at(10) }));
        await records.appendAudit(auditRow('audit_0002', { at: at(20), runId: 'run_0002', intent: 'clean_tmp', playbook: disk }));
        await records.appendAudit(auditRow('audit_0003', { at: at(30) }));
        await records.completeAudit('audit_0001', completed);
        await records.completeAudit('audit_0003', { status: 'failure', executedAt: at(31) });
        const view = async (filter: Parameters<Records['listAudit']>[0]): Promise<string[]> =>
          (await records.listAudit(filter)).map((r) => `${r.auditId}:${r.status}`);
        const all = ['audit_0003:failure', 'audit_0002:pending_execution', 'audit_0001:success'];
        expect(await view({ limit: 10 })).toEqual(all);
        expect(await view({ limit: 2 })).toEqual(all.slice(0, 2));
        expect(await view({ limit: 10, runId: 'run_0001' })).toEqual(['audit_0003:failure', 'audit_0001:success']);
        expect(await view({ limit: 10, playbook: 'disk-cleanup' })).toEqual(['audit_0002:pending_execution']);
        expect(await view({ limit: 10, intent: 'restart_service' })).toEqual(['audit_0003:failure', 'audit_0001:success']);
        expect(await view({ limit: 10, status: 'pending_execution' })).toEqual(['audit_0002:pending_execution']);
        expect(await view({ limit: 10, status: 'success' })).toEqual(['audit_0001:success']);
        expect(await view({ limit: 10, since: at(20) })).toEqual(['audit_0003:failure', 'audit_0002:pending_execution']);
        expect(await view({ limit: 10, since: at(21), runId: 'run_0002' })).toEqual([]);
      });

      it('returns the trail of one run only, in append order', async () => {
        await records.appendAudit(auditRow('audit_0001'));
        await records.appendAudit(auditRow('audit_0002', { runId: 'run_0002' }));
        await records.appendAudit(auditRow('audit_0003'));
        await records.completeAudit('audit_0003', completed);
        await records.completeAudit('audit_0001', { status: 'shadowed' });
        const trail = (await records.auditTrail('run_0001')).map((r) => `${r.auditId}:${r.status}`);
        expect(trail).toEqual([
          'audit_0001:pending_execution',
          'audit_0003:pending_execution',
          'audit_0003:success',
          'audit_0001:shadowed',
        ]);
        expect(await records.auditTrail('run_9999')).toEqual([]);
      });
    });

    describe('readiness', () => {
      it('answers ping while open and rejects it once closed', async () => {
        await expect(records.ping()).resolves.toBeUndefined();
        await records.close();
        await expect(records.ping()).rejects.toBeDefined();
      });
    });
  });
}
