import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateOp, JsonValue, StateStore } from '../../engine/ports/state-store.ts';
import { InMemoryStateStore } from '../../runtime/inmemory/state-store.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { openStateRedis } from '../../runtime/stores/redis/client.ts';
import { RedisStateStore } from '../../runtime/stores/redis/state-store.ts';

/**
 * The Lua scripts against the reference semantics: random sequences of calls and clock moves run
 * on RedisStateStore and InMemoryStateStore (applyGateOpsSync) must answer the same, errors included.
 */

const START = Date.UTC(2025, 0, 15, 10, 0, 0);
const FILE_PREFIX = `test:redis-diff:${process.pid}:${randomUUID()}:`;
let redis: Redis;
let runNumber = 0;

beforeAll(() => {
  redis = openStateRedis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${FILE_PREFIX}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
});

const values: JsonValue[] = ['open', 'closed', 3, true, null, { by: 'ops' }, []];
const texts = [...values.map((v) => JSON.stringify(v)), 'open', '"other"'];
const key = fc.constantFrom('a', 'b', 'c');
const ttl = fc.constantFrom(1, 500, 1000, 5000);
const value = fc.constantFrom(...values);

const gateOp: fc.Arbitrary<GateOp> = fc.oneof(
  fc.record({ op: fc.constant('claim' as const), key, value, ttlMs: ttl }),
  fc.record({ op: fc.constant('hit' as const), key, max: fc.integer({ min: 0, max: 3 }), windowMs: ttl }),
  fc.record({
    op: fc.constant('read' as const),
    key,
    refuseOn: fc.oneof(
      fc.constant('present' as const),
      fc.record({ anyOf: fc.subarray(texts) }),
      fc.record({ except: fc.subarray(texts) }),
    ),
  }),
);

type Call =
  | { kind: 'gate'; ops: GateOp[] }
  | { kind: 'set'; key: string; value: JsonValue; ttlMs: number | undefined }
  | { kind: 'read'; key: string }
  | { kind: 'delete'; key: string }
  | { kind: 'advance'; ms: number };

const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('gate' as const), ops: fc.array(gateOp, { maxLength: 5 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('set' as const), key, value, ttlMs: fc.option(ttl, { nil: undefined }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1, 499, 500, 1000, 4000) }) },
);

async function answer(store: StateStore, clock: ManualClock, c: Call): Promise<unknown> {
  try {
    switch (c.kind) {
      case 'gate':
        return await store.applyGateOps(c.ops);
      case 'set':
        return await store.set(c.key, c.value, c.ttlMs);
      case 'read':
        return [await store.get(c.key), await store.ttl(c.key)];
      case 'delete':
        return await store.delete(c.key);
      case 'advance':
        return clock.advance(c.ms);
    }
  } catch (e) {
    return { error: (e as { code?: unknown }).code };
  }
}

describe('RedisStateStore against the in-memory reference', () => {
  it('answers every sequence of calls and clock moves like InMemoryStateStore', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 25 }), async (calls) => {
        const prefix = `${FILE_PREFIX}${++runNumber}:`;
        const redisClock = new ManualClock(START);
        const memoryClock = new ManualClock(START);
        const subject = new RedisStateStore({ redis, clock: redisClock, prefix });
        const reference = new InMemoryStateStore(memoryClock);
        for (const c of calls) {
          expect(await answer(subject, redisClock, c)).toEqual(await answer(reference, memoryClock, c));
        }
        for (const k of ['a', 'b', 'c']) {
          expect([await subject.get(k), await subject.ttl(k)]).toEqual([await reference.get(k), await reference.ttl(k)]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
