import type { PlaybookTestCase } from '../../schemas/playbook-test.ts';
import type { Notification } from '../../engine/ports/notifier.ts';
import type { EventRun } from './run-event.ts';
import { parseDuration } from '../../engine/expr/index.ts';

/** Every way a run differs from a case's expectations, as sentences; empty when it matches. */
export interface Seen {
  executed: string[];
  notified: string[];
  notifications: Notification[];
  toolCalls: { name: string; args: Record<string, unknown> }[];
  /** The value of each state key the case names, after the run (null: absent). */
  state: Record<string, unknown>;
  /** The remaining TTL in ms of each key `ttls:` names (null: absent or without a TTL). */
  ttls: Record<string, number | null>;
  /** The records appended during the case to each log `logs:` names. */
  logs: Record<string, unknown[]>;
}

export function compareExpectations(expect: PlaybookTestCase['expect'], run: EventRun, seen: Seen): string[] {
  const failures: string[] = [];
  const s = run.summary;
  const eq = (what: string, want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got)) failures.push(`${what}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  if (expect.matched !== undefined) eq('matched', expect.matched, s !== null);
  if (!s) {
    if (expect.matched !== false) failures.push(`no playbook ran: ${run.skipped.map((k) => `${k.playbook}: ${k.reason}`).join('; ')}`);
    return failures;
  }
  if (expect.gates) {
    for (const [gate, verdict] of Object.entries(expect.gates)) {
      const g = s.gates.find((x) => x.gate === gate);
      if (!g) failures.push(`gate ${gate}: want ${verdict}, but it was not checked`);
      else if (g.verdict !== verdict) failures.push(`gate ${gate}: want ${verdict}, got ${g.verdict} (${g.reason})`);
    }
  }
  if (expect.path) eq('path', expect.path, s.path);
  if (expect.decision !== undefined) eq('decision', expect.decision, s.decision);
  if (expect.commands) eq('commands', expect.commands, s.commands);
  if (expect.not_run) eq('not_run', expect.not_run, s.not_run.map((c) => c.command));
  if (expect.executed) eq('executed', expect.executed, seen.executed);
  if (expect.outcome) eq('outcome', expect.outcome, s.outcome);
  if (expect.refusals) eq('refusals', expect.refusals, s.refusals.map((r) => r.code));
  if (expect.notified) eq('notified', expect.notified, seen.notified);
  if (expect.tool_calls) {
    eq('tool calls', expect.tool_calls.map((c) => c.name), seen.toolCalls.map((c) => c.name));
    expect.tool_calls.forEach((want, i) => {
      const got = seen.toolCalls[i];
      for (const [k, v] of Object.entries(want.args ?? {})) if (got) eq(`tool call ${i + 1} (${want.name}) args.${k}`, v, got.args[k] ?? null);
    });
  }
  if (expect.state) for (const [key, want] of Object.entries(expect.state)) eq(`state ${key}`, want, seen.state[key] ?? null);
  if (expect.logs) for (const [log, want] of Object.entries(expect.logs)) eq(`log ${log}`, want, seen.logs[log] ?? []);
  if (expect.ttls) {
    for (const [key, want] of Object.entries(expect.ttls)) {
      const ms = want === null ? null : parseDuration(want);
      const got = seen.ttls[key] ?? null;
      if (ms !== got) failures.push(`ttl of ${key}: want ${want === null ? 'none' : `${want} (${ms} ms)`}, got ${got === null ? 'none' : `${got} ms`}`);
    }
  }
  if (expect.outputs) {
    for (const [step, want] of Object.entries(expect.outputs)) {
      const ends = s.trace.filter((e) => e.type === 'step.end' && e.step === step);
      const last = ends.at(-1) as { output?: unknown } | undefined;
      if (!last) failures.push(`output of ${step}: want ${JSON.stringify(want)}, but the step did not run`);
      else eq(`output of ${step}`, want, last.output ?? null);
    }
  }
  if (expect.notifications) {
    eq('notification channels', expect.notifications.map((n) => n.channel), seen.notifications.map((n) => n.channel));
    expect.notifications.forEach((want, i) => {
      const got = seen.notifications[i];
      if (!got) return;
      if (want.subject !== undefined) eq(`notification ${i + 1} subject`, want.subject, got.subject);
      if (want.body !== undefined) eq(`notification ${i + 1} body`, want.body, got.body);
      if (want.to !== undefined) eq(`notification ${i + 1} to`, want.to, got.to ?? []);
    });
  }
  if (failures.length && s.reason) failures.push(`(run ended: ${s.outcome}: ${s.reason})`);
  return failures;
}
