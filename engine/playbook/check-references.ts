import type { PlaybookDocument, StepDocument } from '../../schemas/playbook.ts';
import { closest, type CompileContext } from './compile-context.ts';
import { END, type Step } from './model.ts';

/**
 * Every jump resolves at load: `next:`, `on_error:` and switch cases name a top-level step (or
 * `end`), and a switch over a decision table covers exactly the values that table can produce.
 * Jumps are read from the YAML of each step that passed the schema, built or not, so a step that
 * failed for another reason (a decision table without else) still has its jumps checked; `built`
 * is aligned with `docs` (null where a step was not built). `ids` holds every top-level id
 * written, so a broken step is not reported again as missing.
 */
export function checkReferences(ctx: CompileContext, pb: PlaybookDocument, docs: readonly StepDocument[], built: readonly (Step | null)[], ids: ReadonlySet<string>): void {
  const check = (to: string | null | undefined, path: (string | number)[], what: string) => {
    if (to === null || to === undefined || to === END || ids.has(to)) return;
    const hint = closest(to, ids);
    ctx.report('STEP_UNKNOWN_REF', `${what} goes to ${JSON.stringify(to)}, which is not a top-level step id (or end)`, path, hint ? { hint: `did you mean ${hint}?` } : {});
  };
  if (!ctx.broken.has(['on_error'])) check(pb.on_error, ['on_error'], 'on_error');
  const decisions = new Map<string, Set<string>>();
  for (const s of built) if (s?.kind === 'decide') decisions.set(s.id, new Set([...s.rows.map((r) => r.then), s.otherwise]));

  docs.forEach((doc, i) => {
    const path = ['steps', i];
    if (ctx.broken.has(path)) return;
    check(doc.next, [...path, 'next'], `next: of ${doc.id}`);
    check(doc.on_error, [...path, 'on_error'], `on_error: of ${doc.id}`);
    if (doc.switch === undefined) return;
    for (const [value, to] of Object.entries(doc.cases ?? {})) check(to, [...path, 'cases', value], `case ${value} of ${doc.id}`);
    check(doc.default, [...path, 'default'], `default: of ${doc.id}`);
    const step = built[i];
    if (step?.kind !== 'switch') return;
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
