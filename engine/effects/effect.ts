import type { HttpAnswer, HttpRequest } from '../ports/http.ts';
import type { LlmAnswer, LlmRequest } from '../ports/llm.ts';
import type { MemoryHit } from '../ports/memory.ts';
import type { Notification } from '../ports/notifier.ts';
import type { AuditRow, LogRecord } from '../ports/record-store.ts';
import type { ShellResult } from '../ports/shell.ts';
import type { JsonValue } from '../ports/state-store.ts';

/**
 * What a step asks of the world, as data. The step function never performs one: it returns them,
 * a driver executes them through the ports and feeds the results back. Each request names the
 * port operation and carries only JSON, so it can be journaled and compared on replay.
 */
export type EffectRequest =
  /** `verify`: the intent's check that the change took, run instead of the command after a crash interrupted it. */
  | { kind: 'shell.exec'; host: string | null; argv: string[]; timeoutMs: number; readOnly: boolean; verify: string[] | null }
  /**
   * `readOnly` comes from the tool catalog; `secretArgs` / `secretResult`: the argument fields and
   * the result fields whose values are secret (the journal seals them), present only when some are.
   */
  | { kind: 'tool.call'; name: string; args: Record<string, unknown>; readOnly: boolean; secretArgs?: string[]; secretResult?: string[] }
  | { kind: 'llm.complete'; request: Omit<LlmRequest, 'signal'> }
  | { kind: 'memory.search'; text: string; top: number }
  | { kind: 'http.request'; method: HttpRequest['method']; url: string; headers: Record<string, string>; body: string | null; maxBytes: number }
  | { kind: 'memory.remember'; incident: { text: string; intent: string; target: string | null; success: boolean; risk: string; summary?: string } }
  | { kind: 'notify.send'; notification: Notification }
  | { kind: 'state.get'; key: string }
  | { kind: 'state.set'; key: string; value: JsonValue; ttlMs?: number }
  | { kind: 'state.set_if_absent'; key: string; value: JsonValue; ttlMs: number }
  | { kind: 'state.delete'; key: string }
  | { kind: 'audit.append'; row: AuditRow }
  | { kind: 'log.append'; entry: LogRecord }
  | { kind: 'audit.complete'; auditId: string; completion: Pick<AuditRow, 'status' | 'executedAt' | 'result'> }
  | { kind: 'id.new'; prefix: string }
  /** Suspends the step until people decide (or `expiresAt` passes): the run waits, durably. */
  | { kind: 'approval.await'; approvalId: string; intent: string; target: string | null; host: string | null; reason: string; expiresAt: number; tool?: string; argsHash?: string }
  /** Suspends the step until a time (a `wait` step): a durable timer. */
  | { kind: 'timer.wait'; until: number };

/** What each request answers when it succeeds. */
export interface EffectValues {
  'shell.exec': ShellResult;
  'tool.call': unknown;
  'llm.complete': LlmAnswer;
  'memory.search': MemoryHit[];
  'http.request': HttpAnswer;
  'memory.remember': null;
  'notify.send': null;
  'state.get': JsonValue | null;
  'state.set': null;
  'state.set_if_absent': boolean;
  'state.delete': null;
  'audit.append': null;
  'log.append': null;
  'audit.complete': null;
  'id.new': string;
  'approval.await': ApprovalDecision;
  'timer.wait': { firedAt: string };
}

/** What people decided on an approval request, and when; `expired` when nobody did in time. */
export interface ApprovalDecision {
  decision: 'approved' | 'rejected' | 'expired';
  by: string | null;
  at: string;
  reason: string | null;
}

/**
 * read: asks without changing anything (runs in shadow mode); write: changes the world (never
 * reaches a port in shadow mode); record: the engine's own bookkeeping (audit rows, ids), always kept;
 * wait: answered by people or a timer, never by a port (the run is suspended meanwhile).
 */
export type EffectMode = 'read' | 'write' | 'record' | 'wait';

export function effectMode(request: EffectRequest): EffectMode {
  switch (request.kind) {
    case 'shell.exec':
    case 'tool.call':
      return request.readOnly ? 'read' : 'write';
    case 'llm.complete':
    case 'memory.search':
    case 'http.request':
    case 'state.get':
      return 'read';
    case 'memory.remember':
    case 'notify.send':
    case 'log.append':
    case 'state.set':
    case 'state.set_if_absent':
    case 'state.delete':
      return 'write';
    case 'audit.append':
    case 'audit.complete':
    case 'id.new':
      return 'record';
    case 'approval.await':
    case 'timer.wait':
      return 'wait';
  }
}

/** The step timeout an effect runs under: the earliest deadline of its step and the steps around it. */
interface EffectTimeout {
  /** Epoch ms (injected clock) after which the effect is answered with STEP_TIMEOUT. */
  deadline: number;
  /** The step whose timeout this is, and its length, for the error message. */
  step: string;
  ms: number;
}

/**
 * An effect as the step function emits it. `id` is deterministic — run id, step address (with
 * for_each indexes), visit of that step, and the effect's number within the step — so a replay
 * or a recovery asks for the same id, and adapters can use it as an idempotency key.
 */
export interface Effect {
  id: string;
  step: string;
  mode: EffectMode;
  request: EffectRequest;
  timeout: EffectTimeout | null;
}

/** An error as data: it crosses the journal and processes, so it is checked by code. */
export interface EffectError {
  code: string;
  message: string;
  retryable?: boolean;
  details?: unknown;
}

export type EffectOutcome = { ok: true; value: unknown } | { ok: false; error: EffectError };

/** The value a write effect answers in shadow mode: the port was not called. */
export const SHADOWED = Object.freeze({ $shadowed: true as const });

export function isShadowed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { $shadowed?: unknown }).$shadowed === true;
}

/** An approval people granted, kept in the run's state: it names exactly what it allows. */
export interface ApprovalGrant {
  approvalId: string;
  step: string;
  intent: string;
  target: string | null;
  host: string | null;
  /** For an L3 tool: the tool and the hash of the exact arguments approved (engine/tools/args-hash.ts); `intent` is then `tool:NAME`. */
  tool?: string;
  argsHash?: string;
  by: string | null;
  at: string;
}
