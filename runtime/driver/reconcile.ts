import { describeError, EngineError } from '../../engine/errors.ts';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { quoteForPosixShell } from '../../engine/intents/render.ts';
import type { AuditRow } from '../../engine/ports/record-store.ts';
import { performEffect } from './perform-effect.ts';

export interface ReconcileDeps {
  ports: Ports;
  shadow: boolean;
  /** The run's raw audit trail, to tell whether an audit write in flight landed. */
  auditTrail: () => Promise<AuditRow[]>;
}

/**
 * Answers an effect that was in flight when the process stopped (journaled as asked, never
 * answered). Reads and bookkeeping run again; idempotent writes run again with the same effect
 * id; a command that changes a host is never run blindly twice: the intent's `verify:` tells
 * whether the change took, and without one, or when it did not take, the step fails as
 * INTERRUPTED and its on_error: route (escalation) hands it to people.
 */
export async function reconcileEffect(effect: Effect, deps: ReconcileDeps): Promise<EffectOutcome> {
  const { ports, shadow } = deps;
  const r = effect.request;
  if (effect.mode !== 'write' || shadow) {
    if (r.kind === 'audit.append' || r.kind === 'audit.complete') return reconcileAudit(effect, deps);
    return performEffect(effect, ports, { shadow });
  }
  switch (r.kind) {
    case 'shell.exec': {
      const command = r.argv.map(quoteForPosixShell).join(' ');
      const where = r.host ?? 'the local host';
      if (r.verify === null) return interrupted(`the engine stopped while \`${command}\` ran on ${where}; the intent declares no verify:, so whether it took is unknown; not run again`);
      const check = r.verify.map(quoteForPosixShell).join(' ');
      try {
        const v = await ports.shell.exec({ host: r.host, argv: r.verify, timeoutMs: r.timeoutMs });
        if (v.exitCode === 0) {
          return { ok: true, value: { exitCode: 0, stdout: `[recovered: the engine stopped while this ran; \`${check}\` exited 0, so the change took; not run again]`, stderr: '' } };
        }
        return interrupted(`the engine stopped while \`${command}\` ran on ${where}; \`${check}\` exited ${v.exitCode ?? 'without a code'}: the change did not take; not run again`);
      } catch (e) {
        const err = describeError(e);
        return interrupted(`the engine stopped while \`${command}\` ran on ${where}; \`${check}\` could not run (${err.code}: ${err.message}); not run again`);
      }
    }
    case 'tool.call':
      return interrupted(`the engine stopped while tool ${r.name} ran; it changes things, so it is not called again`);
    case 'state.set_if_absent': {
      // A mark this run set before it stopped is its own: the claim holds.
      const again = await performEffect(effect, ports, { shadow });
      if (again.ok && again.value === false && JSON.stringify(await ports.state.get(r.key)) === JSON.stringify(r.value)) return { ok: true, value: true };
      return again;
    }
    default:
      // state.set / delete, notify.send, memory.remember: safe to repeat with the same effect id.
      return performEffect(effect, ports, { shadow });
  }
}

async function reconcileAudit(effect: Effect, deps: ReconcileDeps): Promise<EffectOutcome> {
  const r = effect.request;
  const trail = await deps.auditTrail();
  if (r.kind === 'audit.append' && trail.some((a) => a.auditId === r.row.auditId)) return { ok: true, value: null };
  if (r.kind === 'audit.complete' && trail.some((a) => a.auditId === r.auditId && a.status !== 'pending_execution' && a.status !== 'shadowed')) return { ok: true, value: null };
  return performEffect(effect, deps.ports, { shadow: deps.shadow });
}

function interrupted(message: string): EffectOutcome {
  const err = new EngineError('INTERRUPTED', message, { details: { started: true } });
  return { ok: false, error: { code: err.code, message: err.message, retryable: false, details: err.details } };
}
