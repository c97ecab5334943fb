import type { IntentAccepted } from '../intents/validate.ts';
import type { AuditRow } from '../ports/record-store.ts';
import type { ShellResult } from '../ports/shell.ts';
import { redact } from '../run/redact.ts';
import type { StepContext } from './executor.ts';

const OUTPUT_LIMIT = 4096;

/**
 * Seed 003's audit trail: a `pending_execution` row before the command runs and its completion
 * after, so a crash between the two leaves a started-but-unfinished action for reconciliation.
 */
export async function audited(
  ctx: StepContext,
  what: { v: IntentAccepted; host: string | null; source: string; shadow: boolean },
  run: () => Promise<ShellResult | null>,
): Promise<ShellResult | null> {
  const auditId = ctx.ports.ids.next('audit_');
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
  await ctx.ports.records.appendAudit(row);
  if (what.shadow) return null;
  let result: ShellResult;
  try {
    const r = await run();
    result = r ?? { exitCode: null, stdout: '', stderr: '' };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await ctx.ports.records.completeAudit(auditId, { status: 'failure', executedAt: ctx.nowIso(), result: { exitCode: null, stdout: '', stderr: clip(message) } });
    throw e;
  }
  await ctx.ports.records.completeAudit(auditId, {
    status: result.exitCode === 0 ? 'success' : 'failure',
    executedAt: ctx.nowIso(),
    result: { exitCode: result.exitCode, stdout: clip(result.stdout), stderr: clip(result.stderr) },
  });
  return result;
}

function clip(text: string): string {
  const clean = redact(text) as string;
  return clean.length > OUTPUT_LIMIT ? `${clean.slice(0, OUTPUT_LIMIT)}…[truncated]` : clean;
}
