import type { PlaybookTestCase } from '../../schemas/playbook-test.ts';
import type { EventRun } from './run-event.ts';

/** Every way a run differs from a case's expectations, as sentences; empty when it matches. */
export function compareExpectations(expect: PlaybookTestCase['expect'], run: EventRun, seen: { executed: string[]; notified: string[] }): string[] {
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
  if (failures.length && s.reason) failures.push(`(run ended: ${s.outcome}: ${s.reason})`);
  return failures;
}
