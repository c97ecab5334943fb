import type { AuditRow } from '../../engine/ports/record-store.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import type { PlaybookRef, RunOutcome } from '../../engine/trace/trace.ts';
import type { EventRecord, RefusalRecord, RunRow } from '../../runtime/records/records.ts';

/** Row builders for the Records contract: complete, JSON-clean values a store must return as given. */

const BASE = Date.UTC(2025, 0, 15, 10, 0, 0);

/** ISO time `seconds` after the suite's fixed start (the format the runtime writes: toISOString). */
export function at(seconds: number): string {
  return new Date(BASE + seconds * 1000).toISOString();
}

export function playbookRef(name = 'supervisor'): PlaybookRef {
  return { name, version: '3.0.0', hash: `sha256:${name}` };
}

export function eventRecord(eventId: string, over: Partial<EventRecord> = {}): EventRecord {
  return {
    eventId,
    source: 'uptime-kuma',
    receivedAt: at(0),
    event: { kind: 'down', service: 'nginx', host: 'web-01', labels: { env: 'prod' }, nested: [1, 'two', null] },
    summary: 'down nginx on web-01: Connection refused',
    runs: [],
    skipped: [{ playbook: 'disk-cleanup', reason: 'no match' }],
    ...over,
  };
}

export function refusalRecord(refusalId: string, over: Partial<RefusalRecord> = {}): RefusalRecord {
  return {
    refusalId,
    source: 'alertmanager',
    receivedAt: at(0),
    status: 422,
    code: 'CONTROL_CHARACTER',
    reason: 'alerts[0].labels.service contains the control character U+000A, which a name cannot hold',
    path: 'alerts[0].labels.service',
    excerpt: '{"version":"4","alerts":[{"labels":{"service":"nginx\\n"}}]}',
    bodyBytes: 57,
    requestId: 'req_1',
    ...over,
  };
}

export function runRow(runId: string, over: Partial<RunRow> = {}): RunRow {
  return {
    runId,
    eventId: 'evt_0001',
    playbook: playbookRef(),
    trigger: 'webhook',
    status: 'queued',
    shadow: false,
    event: { kind: 'down', service: 'nginx', host: 'web-01' },
    admission: [
      { type: 'gate', at: at(0), gate: 'dedup', verdict: 'pass', reason: 'first seen', key: 'dedup:nginx:web-01' },
      { type: 'gate', at: at(0), gate: 'rate', verdict: 'pass', reason: '1 of 3 in 1h' },
    ],
    queuedAt: at(0),
    startedAt: null,
    endedAt: null,
    attempts: 0,
    reason: null,
    decision: null,
    result: null,
    ...over,
  };
}

export function summary(runId: string, outcome: RunOutcome, playbook = playbookRef()): RunSummary {
  return {
    runId,
    playbook,
    gates: [{ gate: 'dedup', verdict: 'pass', reason: 'first seen' }],
    path: ['check', 'decide', 'restart'],
    decision: outcome === 'skipped' ? null : 'restart',
    commands: ['systemctl restart -- nginx'],
    not_run: [],
    refusals: [],
    outcome,
    reason: outcome === 'failed' ? 'ssh timeout after 30s' : null,
    trace: [
      { type: 'step.start', at: at(5), step: 'check' },
      { type: 'run.end', at: at(9), outcome, decision: 'restart', durationMs: 4000 },
    ],
  };
}

export function auditRow(auditId: string, over: Partial<AuditRow> = {}): AuditRow {
  return {
    auditId,
    runId: 'run_0001',
    at: at(10),
    decisionSource: 'N1_CONSENSUS',
    intent: 'restart_service',
    target: 'nginx',
    host: 'web-01',
    validatedCommand: 'systemctl restart -- nginx',
    argv: ['systemctl', 'restart', '--', 'nginx'],
    playbook: playbookRef(),
    shadow: false,
    status: 'pending_execution',
    ...over,
  };
}

export const completed = {
  status: 'success' as const,
  executedAt: at(12),
  result: { exitCode: 0, stdout: 'ok\n', stderr: '' },
};
