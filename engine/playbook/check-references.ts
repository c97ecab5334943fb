import type { PlaybookDocument } from '../../schemas/playbook.ts';
import { closest, type CompileContext } from './compile-context.ts';
import { END, type Step } from './model.ts';

/**
 * Every jump resolves at load: `next:`, `on_error:` and switch cases name a top-level step (or
 * `end`), and a switch over a decision table covers exactly the values that table can produce.
 */
export function checkReferences(ctx: CompileContext, pb: PlaybookDocument, steps: readonly Step[], positions: ReadonlyMap<string, number>): void {
  const check = (to: string | null | undefined, path: (string | number)[], what: string) => {
    if (to === null || to === undefined || to === END || positions.has(to)) return;
    const hint = closest(to, positions.keys());
    ctx.report('STEP_UNKNOWN_REF', `${what} goes to ${JSON.stringify(to)}, which is not a top-level step id (or end)`, path, hint ? { hint: `did you mean ${hint}?` } : {});
  };
  check(pb.on_error, ['on_error'], 'on_error');
  const decisions = new Map<string, Set<string>>();
  for (const s of steps) if (s.kind === 'decide') decisions.set(s.id, new Set([...s.rows.map((r) => r.then), s.otherwise]));

  steps.forEach((step, i) => {
    const path = ['steps', i];
    check(step.next, [...path, 'next'], `next: of ${step.id}`);
    check(step.onError, [...path, 'on_error'], `on_error: of ${step.id}`);
    if (step.kind !== 'switch') return;
    for (const [value, to] of Object.entries(step.cases)) check(to, [...path, 'cases', value], `case ${value} of ${step.id}`);
    check(step.default, [...path, 'default'], `default: of ${step.id}`);
    const source = step.on.logic as { var?: unknown };
    const table = typeof source === 'object' && source !== null && typeof source.var === 'string' ? decisions.get(source.var) : undefined;
    if (!table) return;
    for (const value of Object.keys(step.cases)) {
      if (!table.has(value)) ctx.report('DECISION_UNKNOWN_OUTCOME', `case ${value}: decision table ${String(source.var)} never decides ${value}`, [...path, 'cases', value], { key: true });
    }
    if (step.default === null) {
      for (const value of table) {
        if (!(value in step.cases)) ctx.report('DECISION_UNKNOWN_OUTCOME', `decision ${value} of ${String(source.var)} has no case here and there is no default:`, [...path, 'cases'], { key: true });
      }
    }
  });
}
