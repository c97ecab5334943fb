import type { DecisionRowDocument } from '../../schemas/playbook.ts';
import type { CompileContext } from './compile-context.ts';
import { unreachableRows } from './check-decisions.ts';
import type { DecisionOutcome, DecisionRow } from './model.ts';

type Path = (string | number)[];

/** A decision table: rows of `when`/`then`, first match wins, and a required last `else:` row. */
export function buildDecision(ctx: CompileContext, rows: readonly DecisionRowDocument[], path: Path, extraRoots: readonly string[]): { rows: DecisionRow[]; otherwise: DecisionOutcome } | null {
  const built: DecisionRow[] = [];
  let otherwise: DecisionOutcome | null = null;
  rows.forEach((row, i) => {
    const p = [...path, i];
    const isLast = i === rows.length - 1;
    if (row.else !== undefined) {
      if (row.when !== undefined || row.then !== undefined) ctx.report('SCHEMA', 'an else: row has no when: or then:', p);
      if (!isLast) ctx.report('DECISION_UNREACHABLE_ROW', 'rows after else: can never match; else: must be the last row', [...path, i + 1]);
      otherwise = row.else;
      return;
    }
    if (row.when === undefined || row.then === undefined) {
      ctx.report('SCHEMA', 'a decision row needs when: and then: (or is the else: row)', p);
      return;
    }
    const when = ctx.expr(row.when, [...p, 'when'], extraRoots);
    if (when) built.push({ when, then: row.then, location: ctx.at(p) });
  });
  if (otherwise === null) {
    ctx.report('DECISION_NO_DEFAULT', 'a decision table needs a last row `- else: VALUE` (what to do when no row matches)', path);
    return null;
  }
  if (!sameOutputs(ctx, rows, path)) return null;
  const unreachable = unreachableRows(built.map((r) => r.when.logic));
  built.forEach((row, i) => {
    const because = unreachable[i] ?? null;
    if (because === null) return;
    const message =
      because === i
        ? `row ${i + 1} can never match: its condition is always false`
        : `row ${i + 1} can never match: row ${because + 1} matches every case it does`;
    ctx.diagnostics.push({ code: 'DECISION_UNREACHABLE_ROW', severity: 'error', message, location: row.location });
  });
  return { rows: built, otherwise };
}

/** Every row decides the same kind of thing: one value each, or the same named outputs. */
function sameOutputs(ctx: CompileContext, rows: readonly DecisionRowDocument[], path: Path): boolean {
  const shape = (v: DecisionOutcome): string => (typeof v === 'string' ? '(one value)' : Object.keys(v).sort().join(', '));
  let first: { shape: string; row: number } | null = null;
  let ok = true;
  rows.forEach((row, i) => {
    const value = row.else ?? row.then;
    if (value === undefined) return;
    const s = shape(value);
    if (first === null) first = { shape: s, row: i };
    else if (s !== first.shape) {
      ok = false;
      const key = row.else !== undefined ? 'else' : 'then';
      ctx.report('DECISION_OUTPUTS', `row ${i + 1} decides ${s}, row ${first.row + 1} decides ${first.shape}: every row of a table gives the same outputs`, [...path, i, key]);
    }
  });
  return ok;
}
