import type { AuditRow } from '../../engine/ports/record-store.ts';
import { describeError } from '../../engine/errors.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { openRecords } from '../../runtime/profiles/open-records.ts';
import type { AuditFilter } from '../../runtime/records/records.ts';
import type { Io } from '../io.ts';

export interface AuditOptions {
  run?: string;
  playbook?: string;
  intent?: string;
  status?: string;
  since?: string;
  limit: string;
  format: 'text' | 'json';
}

const STATUSES = ['pending_execution', 'success', 'failure', 'not_run', 'shadowed', 'refused'];

/** `engine audit`: the audit trail of this deployment's records, newest first, with filters. */
export async function auditCommand(o: AuditOptions, io: Io): Promise<number> {
  const loaded = loadConfig(process.env, process.cwd());
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`engine audit: ${e}`);
    return 2;
  }
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return usage(io, `--limit ${o.limit}: expected 1 to 10000`);
  if (o.status !== undefined && !STATUSES.includes(o.status)) return usage(io, `--status ${o.status}: expected one of ${STATUSES.join(', ')}`);
  if (o.since !== undefined && Number.isNaN(Date.parse(o.since))) return usage(io, `--since ${o.since}: expected an ISO time`);
  const filter: AuditFilter = {
    limit,
    ...(o.run ? { runId: o.run } : {}),
    ...(o.playbook ? { playbook: o.playbook } : {}),
    ...(o.intent ? { intent: o.intent } : {}),
    ...(o.status ? { status: o.status as AuditRow['status'] } : {}),
    ...(o.since ? { since: new Date(o.since).toISOString() } : {}),
  };
  let rows: AuditRow[];
  try {
    const records = await openRecords(loaded.config);
    try {
      rows = await records.listAudit(filter);
    } finally {
      await records.close();
    }
  } catch (e) {
    const err = describeError(e);
    io.stderr(`engine audit: ${err.code}: ${err.message}`);
    return 1;
  }
  if (o.format === 'json') {
    io.stdout(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) io.stdout('no audit rows');
  for (const r of rows) {
    const exit = r.result ? ` exit=${r.result.exitCode ?? '-'}` : '';
    io.stdout(`${r.at} ${r.status.padEnd(17)} ${r.runId} ${r.playbook.name}@${r.playbook.version} ${r.intent} ${r.target ?? '-'}@${r.host ?? '-'} [${r.decisionSource}]${exit}${r.shadow ? ' (shadow)' : ''}`);
    io.stdout(`    ${r.validatedCommand}`);
  }
  return 0;
}

function usage(io: Io, message: string): number {
  io.stderr(`engine audit: ${message}`);
  return 2;
}
