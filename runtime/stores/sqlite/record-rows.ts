import type { AuditRow } from '../../../engine/ports/record-store.ts';
import type { EventRecord, RunRow } from '../../records/records.ts';

/** Rows of the records tables as SQLite returns them, and their mapping to and from the domain types. */

export interface EventSqlRow {
  event_id: string;
  source: string;
  received_at: string;
  event: string | null;
  summary: string;
  runs: string;
  skipped: string;
  note: string | null;
}

export interface RunSqlRow {
  run_id: string;
  event_id: string;
  playbook_name: string;
  playbook: string;
  trigger_kind: string;
  status: string;
  shadow: number;
  event: string | null;
  admission: string;
  queued_at: string;
  started_at: string | null;
  ended_at: string | null;
  attempts: number;
  reason: string | null;
  decision: string | null;
  result: string | null;
}

export interface AuditSqlRow {
  audit_id: string;
  completion: number;
  run_id: string;
  at: string;
  decision_source: string;
  intent: string;
  target: string | null;
  host: string | null;
  validated_command: string;
  argv: string;
  playbook_name: string;
  playbook: string;
  shadow: number;
  status: string;
  executed_at: string | null;
  result: string | null;
}

export function eventToSql(e: EventRecord): EventSqlRow {
  return {
    event_id: e.eventId,
    source: e.source,
    received_at: e.receivedAt,
    event: json(e.event),
    summary: e.summary,
    runs: JSON.stringify(e.runs),
    skipped: JSON.stringify(e.skipped),
    note: e.note ?? null,
  };
}

export function eventFromSql(r: EventSqlRow): EventRecord {
  const e: EventRecord = {
    eventId: r.event_id,
    source: r.source,
    receivedAt: r.received_at,
    event: parse(r.event),
    summary: r.summary,
    runs: JSON.parse(r.runs) as string[],
    skipped: JSON.parse(r.skipped) as EventRecord['skipped'],
  };
  if (r.note !== null) e.note = r.note;
  return e;
}

export function runToSql(r: RunRow): RunSqlRow {
  return {
    run_id: r.runId,
    event_id: r.eventId,
    playbook_name: r.playbook.name,
    playbook: JSON.stringify(r.playbook),
    trigger_kind: r.trigger,
    status: r.status,
    shadow: r.shadow ? 1 : 0,
    event: json(r.event),
    admission: JSON.stringify(r.admission),
    queued_at: r.queuedAt,
    started_at: r.startedAt,
    ended_at: r.endedAt,
    attempts: r.attempts,
    reason: r.reason,
    decision: r.decision,
    result: json(r.result),
  };
}

export function runFromSql(r: RunSqlRow): RunRow {
  return {
    runId: r.run_id,
    eventId: r.event_id,
    playbook: JSON.parse(r.playbook) as RunRow['playbook'],
    trigger: r.trigger_kind as RunRow['trigger'],
    status: r.status as RunRow['status'],
    shadow: r.shadow === 1,
    event: parse(r.event),
    admission: JSON.parse(r.admission) as RunRow['admission'],
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    attempts: r.attempts,
    reason: r.reason,
    decision: r.decision,
    result: parse(r.result),
  };
}

export function auditToSql(a: AuditRow, completion: 0 | 1): AuditSqlRow {
  return {
    audit_id: a.auditId,
    completion,
    run_id: a.runId,
    at: a.at,
    decision_source: a.decisionSource,
    intent: a.intent,
    target: a.target,
    host: a.host,
    validated_command: a.validatedCommand,
    argv: JSON.stringify(a.argv),
    playbook_name: a.playbook.name,
    playbook: JSON.stringify(a.playbook),
    shadow: a.shadow ? 1 : 0,
    status: a.status,
    executed_at: a.executedAt ?? null,
    result: json(a.result ?? null),
  };
}

export function auditFromSql(r: AuditSqlRow): AuditRow {
  const a: AuditRow = {
    auditId: r.audit_id,
    runId: r.run_id,
    at: r.at,
    decisionSource: r.decision_source,
    intent: r.intent,
    target: r.target,
    host: r.host,
    validatedCommand: r.validated_command,
    argv: JSON.parse(r.argv) as string[],
    playbook: JSON.parse(r.playbook) as AuditRow['playbook'],
    shadow: r.shadow === 1,
    status: r.status as AuditRow['status'],
  };
  if (r.executed_at !== null) a.executedAt = r.executed_at;
  if (r.result !== null) a.result = JSON.parse(r.result) as NonNullable<AuditRow['result']>;
  return a;
}

/** The named parameters of an INSERT for every column of a row type, in one place. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}

function json(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
