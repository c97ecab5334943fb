import { EngineError } from '../../../engine/errors.ts';
import type { GateOp, GateOpResult, JsonValue } from '../../../engine/ports/state-store.ts';
import type { GateOpsReply } from './scripts.ts';

/** KEYS and the operation part of ARGV for gate-ops.lua (see its header for the layout). */
export interface EncodedGateOps {
  keys: string[];
  args: string[];
}

/** Flattens gate operations into the script's arguments; values become their JSON text. */
export function encodeGateOps(ops: readonly GateOp[], prefixKey: (key: string) => string): EncodedGateOps {
  const keys: string[] = [];
  const args: string[] = [];
  for (const op of ops) {
    keys.push(prefixKey(op.key));
    if (op.op === 'claim') {
      args.push('claim', jsonText(op.value), String(checkTtl(op.ttlMs)));
    } else if (op.op === 'hit') {
      args.push('hit', String(checkMax(op.max)), String(checkTtl(op.windowMs, 'windowMs')));
    } else if (op.op === 'read') {
      const refuseOn = op.refuseOn;
      if (refuseOn === 'present') args.push('read', 'present', '0');
      else if ('anyOf' in refuseOn) args.push('read', 'anyOf', String(refuseOn.anyOf.length), ...refuseOn.anyOf);
      else args.push('read', 'except', String(refuseOn.except.length), ...refuseOn.except);
    } else {
      throw new EngineError('STATE_BAD_OP', `unknown gate operation ${JSON.stringify((op as { op?: unknown }).op)}`);
    }
  }
  return { keys, args };
}

/** Turns the script's reply back into results, one per applied operation. */
export function decodeGateOps(ops: readonly GateOp[], reply: GateOpsReply): GateOpResult[] {
  return reply.map((entry, i): GateOpResult => {
    const op = ops[i];
    if (!op) throw new EngineError('STATE_BAD_REPLY', `gate-ops script answered ${reply.length} results for ${ops.length} operations`);
    const refused = entry[0] === 1;
    if (op.op === 'claim') return { op: 'claim', refused, holder: refused ? parseJson(entry[1]) : null };
    if (op.op === 'hit') return { op: 'hit', refused, allowed: !refused, count: Number(entry[1]), resetAt: Number(entry[2]) };
    const ttl = Number(entry[2]);
    return { op: 'read', refused, value: parseJson(entry[1]), ttlMs: ttl < 0 ? null : ttl };
  });
}

/** The JSON text stored for a value; the same text `read` compares with `anyOf` / `except`. */
export function jsonText(value: JsonValue, what = 'value'): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new EngineError('NOT_JSON', `${what} cannot be stored: it is not a JSON value`);
  return text;
}

export function parseJson(text: string | number | null | undefined): JsonValue | null {
  if (text === null || text === undefined) return null;
  return JSON.parse(String(text)) as JsonValue;
}

export function checkTtl(ms: number, what = 'ttlMs'): number {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new EngineError('STATE_INVALID_TTL', `${what} must be a positive integer number of ms, got ${ms}`);
  }
  return ms;
}

function checkMax(max: number): number {
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new EngineError('STATE_INVALID_MAX', `max must be a non-negative integer, got ${max}`);
  }
  return max;
}
