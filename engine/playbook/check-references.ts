import type { PlaybookDocument, StepDocument } from '../../schemas/playbook.ts';
import { closest, type CompileContext } from './compile-context.ts';
import { END, type Step } from './model.ts';

/**
 * Every jump resolves at load: `next:`, `on_error:` and switch cases name a step of the same
 * sequence (the top level, a for_each body or a group: jumps stay inside it) or `end`, and a
 * switch over a decision table covers exactly the values that table can produce. Jumps are read
 * from the YAML of each step that passed the schema, built or not, so a step that failed for
 * another reason (a decision table without else) still has its jumps checked; `built` is aligned
 * with `docs` (null where a step was not built). `ids` holds every top-level id written, so a
 * broken step is not reported again as missing.
 */
export function checkReferences(ctx: CompileContext, pb: PlaybookDocument, docs: readonly StepDocument[], built: readonly (Step | null)[], ids: ReadonlySet<string>): void {
  const byId = new Map<string, Step>();
  const index = (s: Step): void => {
    byId.set(s.id, s);
    if (s.kind === 'parallel') s.branches.forEach(index);
    else if (s.kind === 'for_each' || s.kind === 'group') s.steps.forEach(index);
  };
  for (const s of built) if (s) index(s);
  const decisions = new Map<string, Set<string>>();
  // A switch over a table checks its cases against the values the table can give (one-value tables).
  for (const s of byId.values()) {
    if (s.kind !== 'decide') continue;
    const values = [...s.rows.map((r) => r.then), s.otherwise];
    if (values.every((v): v is string => typeof v === 'string')) decisions.set(s.id, new Set(values));
  }
  if (!ctx.broken.has(['on_error'])) jumpCheck(ctx, ids, 'a top-level step id')(pb.on_error, ['on_error'], 'on_error');
  checkSequence(ctx, docs, ['steps'], ids, 'a top-level step id', byId, decisions);
}

type Check = (to: string | null | undefined, path: (string | number)[], what: string) => void;

function jumpCheck(ctx: CompileContext, ids: ReadonlySet<string>, where: string): Check {
  return (to, path, what) => {
    if (to === null || to === undefined || to === END || ids.has(to)) return;
    const hint = closest(to, ids);
    ctx.report('STEP_UNKNOWN_REF', `${what} goes to ${JSON.stringify(to)}, which is not ${where} (or end)`, path, hint ? { hint: `did you mean ${hint}?` } : {});
  };
}

function checkSequence(
  ctx: CompileContext,
  docs: readonly StepDocument[],
  at: (string | number)[],
  ids: ReadonlySet<string>,
  where: string,
  byId: ReadonlyMap<string, Step>,
  decisions: ReadonlyMap<string, Set<string>>,
): void {
  const check = jumpCheck(ctx, ids, where);
  docs.forEach((doc, i) => {
    const path = [...at, i];
    if (ctx.broken.has(path)) return;
    check(doc.next, [...path, 'next'], `next: of ${doc.id}`);
    check(doc.on_error, [...path, 'on_error'], `on_error: of ${doc.id}`);
    check(doc.on_timeout, [...path, 'on_timeout'], `on_timeout: of ${doc.id}`);
    const bodies = (d: StepDocument, p: (string | number)[]): void => {
      if (Array.isArray(d.steps)) {
        const inner = new Set(d.steps.flatMap((c) => (typeof (c as { id?: unknown } | null)?.id === 'string' ? [c.id] : [])));
        checkSequence(ctx, d.steps, [...p, 'steps'], inner, `a step of ${d.id}`, byId, decisions);
      }
      if (Array.isArray(d.parallel)) d.parallel.forEach((b, j) => ctx.broken.has([...p, 'parallel', j]) || bodies(b, [...p, 'parallel', j]));
    };
    bodies(doc, path);
    if (doc.switch === undefined) return;
    for (const [value, to] of Object.entries(doc.cases ?? {})) check(to, [...path, 'cases', value], `case ${value} of ${doc.id}`);
    check(doc.default, [...path, 'default'], `default: of ${doc.id}`);
    const step = byId.get(doc.id);
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
