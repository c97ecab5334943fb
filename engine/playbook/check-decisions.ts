import type { JsonLogic } from '../expr/index.ts';

/** A conjunct of a row, read once: its JSON text (for equality) and its bound, if it is one. */
interface Atom {
  json: string;
  bound: Bound | null;
}

/**
 * A decision row can never match when every input that satisfies it also satisfies an earlier
 * row. We prove that conservatively: each conjunct of the earlier row must be implied by some
 * conjunct of the later row (same atom, or a tighter numeric bound on the same variable).
 * For each row, the earlier row that makes it unreachable (itself when it is always false), or null.
 */
export function unreachableRows(rows: readonly JsonLogic[]): (number | null)[] {
  const atoms = rows.map((r) => conjuncts(r).map(atom));
  return rows.map((row, index) => {
    if (isConstant(row, false)) return index;
    const later = atoms[index]!;
    for (let i = 0; i < index; i++) {
      if (isConstant(rows[i], true)) return i;
      if (atoms[i]!.every((e) => later.some((l) => implies(l, e)))) return i;
    }
    return null;
  });
}

function atom(logic: JsonLogic): Atom {
  return { json: JSON.stringify(logic), bound: asBound(logic) };
}

function conjuncts(logic: JsonLogic): JsonLogic[] {
  if (isOp(logic, 'and')) return (opArgs(logic) ?? []).flatMap(conjuncts);
  return [logic];
}

function isConstant(logic: JsonLogic, value: boolean): boolean {
  return logic === value;
}

function isOp(logic: JsonLogic, op: string): boolean {
  return typeof logic === 'object' && logic !== null && !Array.isArray(logic) && Object.keys(logic).length === 1 && op in logic;
}

function opArgs(logic: JsonLogic): JsonLogic[] | null {
  const [k] = Object.keys(logic as object);
  const v = (logic as Record<string, unknown>)[k!];
  return Array.isArray(v) ? v : [v];
}

interface Bound {
  variable: string;
  op: '>' | '>=' | '<' | '<=' | '===';
  value: number | string | boolean | null;
}

const MIRROR: Readonly<Record<string, Bound['op']>> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '===': '===', '==': '===' };

/** `{">=": [{"var": "x"}, 0.8]}` → x >= 0.8 (also the mirrored form with the constant first). */
function asBound(logic: JsonLogic): Bound | null {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  if (!(op in MIRROR)) return null;
  const args = opArgs(logic);
  if (!args || args.length !== 2) return null;
  const [a, b] = args;
  const normal: Bound['op'] = op === '==' ? '===' : (op as Bound['op']);
  if (varName(a) !== null && isLit(b)) return { variable: varName(a)!, op: normal, value: b };
  if (varName(b) !== null && isLit(a)) return { variable: varName(b)!, op: MIRROR[op]!, value: a };
  return null;
}

function varName(x: JsonLogic): string | null {
  return isOp(x, 'var') && typeof (x as { var: unknown }).var === 'string' ? (x as { var: string }).var : null;
}

function isLit(x: JsonLogic): x is number | string | boolean | null {
  return x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean';
}

function lower(o: Bound['op']): boolean {
  return o === '>' || o === '>=';
}

function upper(o: Bound['op']): boolean {
  return o === '<' || o === '<=';
}

/** Does `a` (a conjunct of the later row) imply `b` (a conjunct of the earlier row)? */
function implies(a: Atom, b: Atom): boolean {
  if (a.json === b.json) return true;
  const x = a.bound;
  const y = b.bound;
  if (!x || !y || x.variable !== y.variable) return false;
  if (x.op === '===') {
    if (y.op === '===') return x.value === y.value;
    if (typeof x.value !== 'number' || typeof y.value !== 'number') return false;
    return compare(x.value, y.op, y.value);
  }
  if (typeof x.value !== 'number' || typeof y.value !== 'number') return false;
  if (lower(x.op) && lower(y.op)) return x.value > y.value || (x.value === y.value && (y.op === '>=' || x.op === '>'));
  if (upper(x.op) && upper(y.op)) return x.value < y.value || (x.value === y.value && (y.op === '<=' || x.op === '<'));
  return false;
}

function compare(v: number, op: Bound['op'], w: number): boolean {
  switch (op) {
    case '>':
      return v > w;
    case '>=':
      return v >= w;
    case '<':
      return v < w;
    case '<=':
      return v <= w;
    case '===':
      return v === w;
  }
}
