import type { IntentAccepted } from '../intents/validate.ts';
import type { EffectRequest } from '../effects/effect.ts';
import type { AuditRow } from '../ports/record-store.ts';
import type { ShellResult } from '../ports/shell.ts';
import { redact } from '../trace/redact.ts';
import { perform, type StepContext } from './executor.ts';

const OUTPUT_LIMIT = 4096;

export interface AuditSubject {
  v: IntentAccepted;
  host: string | null;
  source: string;
  shadow: boolean;
}

/**
 * Seed 003's audit trail: a `pending_execution` row before the command runs (or `shadowed` when
 * it will not), completed after by `closeAudit`, so a crash between the two leaves a
 * started-but-unfinished action for reconciliation. Returns the row's id.
 */
export function* openAudit(ctx: StepContext, what: AuditSubject): Generator<EffectRequest, string, unknown> {
  const auditId = yield* perform({ kind: 'id.new', prefix: 'audit_' });
  const row: AuditRow = {
    auditId,
    runId: ctx.run.id,
    at: ctx.nowIso(),
    decisionSource: what.source,
    intent: what.v.intent.name,
    target: what.v.target,
    host: what.host,
    validatedCommand: what.v.command,
    argv: what.v.argv,
    playbook: ctx.run.playbook,
    shadow: what.shadow,
    status: what.shadow ? 'shadowed' : 'pending_execution',
  };
  yield* perform({ kind: 'audit.append', row });
  return auditId;
}

/** How a pending command ended, as the audit trail tells it. */
export type AuditEnd =
  /** The Shell answered: `ok` says whether the exit code counts as success. */
  | { kind: 'ran'; ok: boolean; result: ShellResult }
  /** The command never reached the host (no adapter, connection refused). */
  | { kind: 'not_run'; message: string }
  /** The Shell failed after the command may have started (timeout, dropped connection). */
  | { kind: 'broken'; message: string };

export function* closeAudit(ctx: StepContext, auditId: string, end: AuditEnd): Generator<EffectRequest, void, unknown> {
  if (end.kind === 'ran') {
    yield* perform({
      kind: 'audit.complete',
      auditId,
      completion: {
        status: end.ok ? 'success' : 'failure',
        executedAt: ctx.nowIso(),
        result: { exitCode: end.result.exitCode, stdout: clip(end.result.stdout), stderr: clip(end.result.stderr) },
      },
    });
    return;
  }
  // A command that did not start has no executedAt: nothing ran on the host.
  yield* perform({
    kind: 'audit.complete',
    auditId,
    completion: {
      status: end.kind === 'not_run' ? 'not_run' : 'failure',
      ...(end.kind === 'broken' ? { executedAt: ctx.nowIso() } : {}),
      result: { exitCode: null, stdout: '', stderr: clip(end.message) },
    },
  });
}

function clip(text: string): string {
  const clean = redact(text) as string;
  return clean.length > OUTPUT_LIMIT ? `${clean.slice(0, OUTPUT_LIMIT)}…[truncated]` : clean;
}
