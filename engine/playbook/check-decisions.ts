import type { JsonLogic } from '../expr/index.ts';

/**
 * A decision row can never match when every input that satisfies it also satisfies an earlier
 * row. We prove that conservatively: each conjunct of the earlier row must be implied by some
 * conjunct of the later row (same atom, or a tighter numeric bound on the same variable).
 */
export function unreachableBecauseOf(rows: readonly JsonLogic[], index: number): number | null {
  const later = conjuncts(rows[index]);
  if (isConstant(rows[index], false)) return index;
  for (let i = 0; i < index; i++) {
    if (isConstant(rows[i], true)) return i;
    const earlier = conjuncts(rows[i]);
    if (earlier.every((e) => later.some((l) => implies(l, e)))) return i;
  }
  return null;
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

/** `{">=": [{"var": "x"}, 0.8]}` → x >= 0.8 (also the mirrored form with the constant first). */
function asBound(logic: JsonLogic): Bound | null {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  const mirror: Record<string, Bound['op']> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '===': '===', '==': '===' };
  if (!(op in mirror)) return null;
  const args = opArgs(logic);
  if (!args || args.length !== 2) return null;
  const [a, b] = args;
  const varName = (x: JsonLogic): string | null =>
    isOp(x, 'var') && typeof (x as { var: unknown }).var === 'string' ? (x as { var: string }).var : null;
  const isLit = (x: JsonLogic): x is number | string | boolean | null => x === null || ['number', 'string', 'boolean'].includes(typeof x);
  const normal: Bound['op'] = op === '==' ? '===' : (op as Bound['op']);
  if (varName(a) !== null && isLit(b)) return { variable: varName(a)!, op: normal, value: b };
  if (varName(b) !== null && isLit(a)) return { variable: varName(b)!, op: mirror[op]!, value: a };
  return null;
}

/** Does `a` (a conjunct of the later row) imply `b` (a conjunct of the earlier row)? */
function implies(a: JsonLogic, b: JsonLogic): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const x = asBound(a);
  const y = asBound(b);
  if (!x || !y || x.variable !== y.variable) return false;
  if (x.op === '===') {
    if (y.op === '===') return x.value === y.value;
    if (typeof x.value !== 'number' || typeof y.value !== 'number') return false;
    return compare(x.value, y.op, y.value);
  }
  if (typeof x.value !== 'number' || typeof y.value !== 'number') return false;
  const lower = (o: Bound['op']) => o === '>' || o === '>=';
  const upper = (o: Bound['op']) => o === '<' || o === '<=';
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
