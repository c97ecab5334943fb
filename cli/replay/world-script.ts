import { isShadowed, type ApprovalDecision, type Effect, type EffectError, type EffectOutcome } from '../../engine/effects/effect.ts';
import type { RecordedAnswer } from '../../engine/run/fold.ts';
import type { RecordedRun } from '../../engine/run/replay.ts';

/** The fixtures of an `engine test` case (schemas/playbook-test.ts) that script the world. */
interface WorldFixtures {
  llm?: Record<string, unknown>;
  shell?: Record<string, unknown>;
  tools?: Record<string, unknown>;
  http?: Record<string, unknown>;
  memory?: Record<string, unknown>[];
  state?: Record<string, unknown>;
  approvals?: Record<string, { decision: 'approve' | 'reject' | 'expire'; by?: string; reason?: string }>;
}

export interface WorldScript {
  fixtures: WorldFixtures;
  /** Answers the test format cannot script, as sentences. */
  notes: string[];
  /** Answers people or timers gave (approvals, waits): a test run stops at them. */
  withheld: RecordedAnswer[];
}

/**
 * The scripted world of a test case, from the answers a run's journal recorded: model answers
 * by role, shell results by command, tool results by name, the memory hits, the state keys the
 * run found set. A key answered once is scripted as one value, several times as a list (one per
 * call, in order), as the recording adapters read them (runtime/recording/script.ts).
 */
export function scriptWorld(recorded: RecordedRun, shadow: boolean): WorldScript {
  const byId = new Map(recorded.effects.map((e) => [e.id, e] as const));
  const calls = { llm: new Map<string, unknown[]>(), shell: new Map<string, unknown[]>(), tools: new Map<string, unknown[]>(), http: new Map<string, unknown[]>() };
  const searches: unknown[][] = [];
  const state: Record<string, unknown> = {};
  const written = new Set<string>();
  const notes: string[] = [];
  const withheld: RecordedAnswer[] = [];
  const approvals: NonNullable<WorldFixtures['approvals']> = {};
  const seen = new Set<string>();
  for (const a of recorded.answers) {
    const effect = byId.get(a.id);
    if (!effect || seen.has(a.id)) continue;
    seen.add(a.id);
    const { outcome } = a;
    // In shadow mode the driver answers write effects itself, in a test as on a server.
    if (outcome.ok && isShadowed(outcome.value)) continue;
    const r = effect.request;
    switch (r.kind) {
      case 'llm.complete':
        push(calls.llm, r.request.role, outcome.ok ? llmText((outcome.value as { text: string }).text) : failure(outcome.error));
        break;
      case 'shell.exec':
        push(calls.shell, r.argv.join(' '), outcome.ok ? outcome.value : failure(outcome.error));
        break;
      case 'tool.call':
        push(calls.tools, r.name, outcome.ok ? outcome.value : failure(outcome.error));
        break;
      case 'http.request':
        push(calls.http, `${r.method} ${r.url}`, outcome.ok ? answered(outcome.value) : failure(outcome.error));
        break;
      case 'memory.search':
        if (outcome.ok) searches.push(outcome.value as unknown[]);
        else notes.push(`${effect.step}: a failed memory search (${outcome.error.code}) cannot be scripted; the case's memory answers with no hits`);
        break;
      case 'state.get':
        // What the run wrote itself, the test run writes too; only what it found set is scripted.
        if (outcome.ok && outcome.value !== null && !written.has(r.key)) {
          if (r.key in state && JSON.stringify(state[r.key]) !== JSON.stringify(outcome.value)) notes.push(`${effect.step}: state key ${r.key} changed under the run; the case sets its first value`);
          else state[r.key] = outcome.value;
        }
        break;
      case 'state.set':
      case 'state.delete':
        written.add(r.key);
        break;
      case 'state.set_if_absent':
        if (outcome.ok && outcome.value === false && !(r.key in state) && !written.has(r.key)) {
          notes.push(`${effect.step}: state key ${r.key} was already set when the run tried to set it; a case sets its state before the gates, so this is not scripted`);
        }
        written.add(r.key);
        break;
      case 'approval.await': {
        // People's decision is scripted by step, as engine test reads it; a timer needs nothing (the test clock moves to it).
        const d = outcome.ok ? (outcome.value as Partial<ApprovalDecision>) : null;
        if (shadow || !d || !d.decision) {
          if (!shadow) {
            withheld.push(a);
            notes.push(`${effect.step}: ${waitAnswer(effect, outcome)}; not scriptable, so the case expects the run to wait there`);
          }
          break;
        }
        approvals[effect.step] = {
          decision: d.decision === 'approved' ? 'approve' : d.decision === 'rejected' ? 'reject' : 'expire',
          ...(d.by ? { by: d.by } : {}),
          ...(d.reason ? { reason: d.reason } : {}),
        };
        break;
      }
      case 'timer.wait':
        break;
      default:
        if (!outcome.ok) notes.push(`${effect.step}: a failed ${r.kind} (${outcome.error.code}) cannot be scripted; the recording adapters succeed`);
    }
  }
  const unanswered = recorded.effects.filter((e) => e.mode !== 'wait' && !seen.has(e.id)).length;
  if (unanswered > 0) notes.push(`${unanswered} effect(s) have no recorded answer (the run was interrupted or is still running): the scripted world answers them with its defaults`);
  const fixtures: WorldFixtures = {};
  if (calls.llm.size) fixtures.llm = script(calls.llm);
  if (calls.shell.size) fixtures.shell = script(calls.shell);
  if (calls.tools.size) fixtures.tools = script(calls.tools);
  if (calls.http.size) fixtures.http = script(calls.http);
  if (searches.length) {
    fixtures.memory = searches[0] as Record<string, unknown>[];
    if (searches.some((s) => JSON.stringify(s) !== JSON.stringify(searches[0]))) notes.push('memory answered differently to several searches; a case answers every search with the same hits (the first search\'s)');
  }
  if (Object.keys(state).length) fixtures.state = state;
  if (Object.keys(approvals).length) fixtures.approvals = approvals;
  return { fixtures, notes, withheld };
}

function push(map: Map<string, unknown[]>, key: string, value: unknown): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One value answers every call; a list one call each, so a single answer that is itself a list is wrapped. */
function script(map: Map<string, unknown[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, answers] of map) {
    const same = answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0]));
    out[key] = same && !Array.isArray(answers[0]) ? answers[0] : answers;
  }
  return out;
}

/** A model's JSON answer is kept as an object when that loses nothing (the scripted LLM writes it back as the same text). */
function llmText(text: string): unknown {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && JSON.stringify(parsed) === text) return parsed;
  } catch {
    // Not JSON: the text as the model wrote it.
  }
  return text;
}

/** A failed call as the recording adapters script it (runtime/recording/script.ts scriptedFailure). */
function failure(error: EffectError): { error: Record<string, unknown> } {
  const started = (error.details as { started?: unknown } | undefined)?.started;
  return { error: { code: error.code, message: error.message, ...(error.retryable ? { retryable: true } : {}), ...(started === false ? { started: false } : {}) } };
}

function waitAnswer(effect: Effect, outcome: EffectOutcome): string {
  const r = effect.request;
  if (r.kind !== 'approval.await') return `the run waited for a timer${r.kind === 'timer.wait' ? ` until ${new Date(r.until).toISOString()}` : ''}`;
  if (!outcome.ok) return `approval ${r.approvalId} ended with ${outcome.error.code}`;
  const d = outcome.value as ApprovalDecision;
  return `approval ${r.approvalId} was ${d.decision}${d.by ? ` by ${d.by}` : ''} at ${d.at}`;
}

/** A probe's answer as the http: fixture scripts it. */
function answered(value: unknown): { status: number; body: string } {
  const a = value as { status: number; body: string };
  return { status: a.status, body: a.body };
}
