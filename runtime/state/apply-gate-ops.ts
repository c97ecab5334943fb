import type { GateOp, GateOpResult, JsonValue, RateHit } from '../../engine/ports/state-store.ts';

/** What a store with synchronous, transactional access (memory, SQLite) provides to run gate ops. */
export interface SyncGatePrimitives {
  /** setIfAbsent; returns the value already there when the key exists. */
  claim(key: string, value: JsonValue, ttlMs: number): { claimed: boolean; holder: JsonValue | null };
  hit(key: string, max: number, windowMs: number): RateHit;
  read(key: string): { value: JsonValue | null; ttlMs: number | null };
}

/**
 * The GateOps semantics over synchronous primitives. The caller runs it inside one transaction
 * (or one synchronous turn of the event loop) so the list is atomic as a whole.
 */
export function applyGateOpsSync(p: SyncGatePrimitives, ops: readonly GateOp[]): GateOpResult[] {
  const results: GateOpResult[] = [];
  for (const op of ops) {
    let result: GateOpResult;
    if (op.op === 'claim') {
      const r = p.claim(op.key, op.value, op.ttlMs);
      result = { op: 'claim', refused: !r.claimed, holder: r.claimed ? null : r.holder };
    } else if (op.op === 'hit') {
      const r = p.hit(op.key, op.max, op.windowMs);
      result = { op: 'hit', refused: !r.allowed, ...r };
    } else {
      const r = p.read(op.key);
      result = { op: 'read', refused: readRefuses(op.refuseOn, r.value), value: r.value, ttlMs: r.ttlMs };
    }
    results.push(result);
    if (result.refused) break;
  }
  return results;
}

/** The refusal rule of a `read` op; the Redis Lua script implements the same rule. */
function readRefuses(refuseOn: Extract<GateOp, { op: 'read' }>['refuseOn'], value: JsonValue | null): boolean {
  if (value === null) return false;
  if (refuseOn === 'present') return true;
  const text = JSON.stringify(value);
  if ('anyOf' in refuseOn) return refuseOn.anyOf.includes(text);
  return !refuseOn.except.includes(text);
}
