import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** The Lua sources, read once; each file starts with its contract (keys, args, reply, errors). */
const GATE_OPS_LUA = readFileSync(new URL('./lua/gate-ops.lua', import.meta.url), 'utf8');
const SET_LUA = readFileSync(new URL('./lua/set.lua', import.meta.url), 'utf8');

/** Raw reply of gate-ops.lua: one array per applied operation (nil arrives as null). */
export type GateOpsReply = (string | number | null)[][];

/** The commands `defineStateScripts` adds to a client (ioredis sends EVAL once, then EVALSHA). */
export interface StateScripts {
  engineStateGateOps(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<GateOpsReply>;
  engineStateSet(key: string, valueJson: string, ttlMs: string, now: number, gcGraceMs: number): Promise<number>;
}

/**
 * Adds the state scripts to a client. The names are namespaced so a client shared with other code
 * does not clash; defining them again (a second store on the same client) is harmless.
 */
export function defineStateScripts(redis: Redis): Redis & StateScripts {
  redis.defineCommand('engineStateGateOps', { lua: GATE_OPS_LUA });
  redis.defineCommand('engineStateSet', { lua: SET_LUA, numberOfKeys: 1 });
  return redis as Redis & StateScripts;
}
