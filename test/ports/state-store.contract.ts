import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GateOp, GateOpResult, JsonValue, StateStore } from '../../engine/ports/state-store.ts';

/** The clock the adapter under test reads; the suite only moves it forward. */
interface ContractClock {
  now(): number;
  advance(ms: number): void | Promise<void>;
}

export interface StateStoreSubject {
  store: StateStore;
  clock: ContractClock;
  close(): Promise<void>;
}

/**
 * The StateStore contract, run against every adapter (memory, SQLite, Redis). It uses only the
 * port API and the clock, so an adapter passes it or breaks a guarantee the engine relies on.
 * Left out on purpose: a key used both by set() and hit() (callers keep them apart), null values
 * (they read back like an absent key), non-integer or non-positive TTLs.
 */
export function stateStoreContract(name: string, make: () => Promise<StateStoreSubject>): void {
  describe(`StateStore contract: ${name}`, () => {
    let subject: StateStoreSubject;
    let store: StateStore;
    const advance = async (ms: number): Promise<void> => {
      await subject.clock.advance(ms);
    };
    const now = (): number => subject.clock.now();

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.close();
    });

    describe('get and set', () => {
      it('reads a missing key as null', async () => {
        expect(await store.get('missing')).toBeNull();
      });

      it('round-trips every JSON type', async () => {
        const values: JsonValue[] = [
          'text',
          '',
          0,
          -12.5,
          2 ** 40,
          true,
          false,
          [],
          [1, 'two', null, { three: 3 }],
          {},
          { nested: { list: [1, 2, { deep: 'yes' }], flag: false, none: null }, 'odd key: é': 'ü🙂' },
        ];
        for (const [i, value] of values.entries()) await store.set(`k${i}`, value);
        for (const [i, value] of values.entries()) expect(await store.get(`k${i}`)).toEqual(value);
      });

      it('overwrites a value', async () => {
        await store.set('k', 'first');
        await store.set('k', { second: true });
        expect(await store.get('k')).toEqual({ second: true });
      });

      it('keeps a value without TTL however long the clock runs', async () => {
        await store.set('k', 'forever');
        await advance(365 * 24 * 3600_000);
        expect(await store.get('k')).toBe('forever');
        expect(await store.ttl('k')).toBeNull();
      });
    });

    describe('TTL', () => {
      it('keeps a key until ttl-1 and drops it exactly at ttl', async () => {
        await store.set('k', 'v', 1000);
        await advance(999);
        expect(await store.get('k')).toBe('v');
        await advance(1);
        expect(await store.get('k')).toBeNull();
      });

      it('reports the remaining time to live from the clock', async () => {
        await store.set('k', 'v', 60_000);
        expect(await store.ttl('k')).toBe(60_000);
        await advance(15_000);
        expect(await store.ttl('k')).toBe(45_000);
        await advance(44_999);
        expect(await store.ttl('k')).toBe(1);
        await advance(1);
        expect(await store.ttl('k')).toBeNull();
      });

      it('reports null for a missing key and for a key without TTL', async () => {
        expect(await store.ttl('missing')).toBeNull();
        await store.set('k', 'v');
        expect(await store.ttl('k')).toBeNull();
      });

      it('restarts the TTL when a key is set again with one', async () => {
        await store.set('k', 'a', 1000);
        await advance(600);
        await store.set('k', 'b', 1000);
        await advance(600);
        expect(await store.get('k')).toBe('b');
        expect(await store.ttl('k')).toBe(400);
      });

      it('clears the TTL when a key is set again without one', async () => {
        await store.set('k', 'a', 1000);
        await store.set('k', 'b');
        expect(await store.ttl('k')).toBeNull();
        await advance(5000);
        expect(await store.get('k')).toBe('b');
      });
    });

    describe('setIfAbsent', () => {
      it('sets an absent key and says so', async () => {
        expect(await store.setIfAbsent('k', 'first', 1000)).toBe(true);
        expect(await store.get('k')).toBe('first');
        expect(await store.ttl('k')).toBe(1000);
      });

      it('leaves a present key alone and says so', async () => {
        await store.set('k', 'kept');
        expect(await store.setIfAbsent('k', 'other', 1000)).toBe(false);
        expect(await store.get('k')).toBe('kept');
        expect(await store.ttl('k')).toBeNull();
      });

      it('does not extend the TTL of a present key', async () => {
        await store.setIfAbsent('k', 'a', 1000);
        await advance(400);
        expect(await store.setIfAbsent('k', 'b', 1000)).toBe(false);
        expect(await store.ttl('k')).toBe(600);
      });

      it('sets again once the key has expired, exactly at the boundary', async () => {
        await store.setIfAbsent('k', 'a', 1000);
        await advance(999);
        expect(await store.setIfAbsent('k', 'b', 1000)).toBe(false);
        await advance(1);
        expect(await store.setIfAbsent('k', 'c', 1000)).toBe(true);
        expect(await store.get('k')).toBe('c');
      });

      it('lets exactly one of 50 concurrent callers win, and keeps the winner’s value', async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.setIfAbsent('race', { caller: i }, 10_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await store.get('race')).toEqual({ caller: winner });
      });
    });

    describe('hit (rate limit)', () => {
      it('opens a window at the first hit', async () => {
        const start = now();
        expect(await store.hit('r', 3, 60_000)).toEqual({ allowed: true, count: 1, resetAt: start + 60_000 });
      });

      it('allows max hits, then refuses without counting', async () => {
        const start = now();
        for (let i = 1; i <= 3; i++) {
          expect(await store.hit('r', 3, 60_000)).toEqual({ allowed: true, count: i, resetAt: start + 60_000 });
        }
        for (let i = 0; i < 5; i++) {
          expect(await store.hit('r', 3, 60_000)).toEqual({ allowed: false, count: 3, resetAt: start + 60_000 });
        }
      });

      it('keeps the window anchored at the first hit', async () => {
        const start = now();
        await store.hit('r', 10, 60_000);
        await advance(20_000);
        expect(await store.hit('r', 10, 60_000)).toEqual({ allowed: true, count: 2, resetAt: start + 60_000 });
        await advance(39_999);
        expect(await store.hit('r', 10, 60_000)).toEqual({ allowed: true, count: 3, resetAt: start + 60_000 });
      });

      it('resets the window exactly windowMs after the first hit', async () => {
        await store.hit('r', 2, 1000);
        await store.hit('r', 2, 1000);
        await advance(999);
        expect((await store.hit('r', 2, 1000)).allowed).toBe(false);
        await advance(1);
        const t = now();
        expect(await store.hit('r', 2, 1000)).toEqual({ allowed: true, count: 1, resetAt: t + 1000 });
      });

      it('does not count refusals into the next window', async () => {
        await store.hit('r', 1, 1000);
        for (let i = 0; i < 10; i++) await store.hit('r', 1, 1000);
        await advance(1000);
        const t = now();
        expect(await store.hit('r', 1, 1000)).toEqual({ allowed: true, count: 1, resetAt: t + 1000 });
        expect(await store.hit('r', 1, 1000)).toEqual({ allowed: false, count: 1, resetAt: t + 1000 });
      });

      it('allows exactly max among 100 concurrent hits', async () => {
        const results = await Promise.all(Array.from({ length: 100 }, () => store.hit('burst', 7, 60_000)));
        const allowed = results.filter((r) => r.allowed);
        expect(allowed).toHaveLength(7);
        expect(allowed.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(results.filter((r) => !r.allowed).every((r) => r.count === 7)).toBe(true);
        expect(new Set(results.map((r) => r.resetAt)).size).toBe(1);
        await advance(60_000);
        expect(await store.hit('burst', 7, 60_000)).toMatchObject({ allowed: true, count: 1 });
      });

      it('counts keys independently, even under concurrency', async () => {
        const keys = ['svc:a', 'svc:b', 'svc:c'];
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => store.hit(keys[i % 3] as string, 4, 60_000)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(12);
      });

      it('ends the window when the key is deleted', async () => {
        await store.hit('r', 1, 60_000);
        await store.delete('r');
        expect(await store.hit('r', 1, 60_000)).toMatchObject({ allowed: true, count: 1 });
      });

      it('refuses every hit when max is 0', async () => {
        expect(await store.hit('r', 0, 1000)).toMatchObject({ allowed: false, count: 0 });
      });
    });

    describe('delete', () => {
      it('removes a key, with or without TTL', async () => {
        await store.set('a', 1);
        await store.set('b', 2, 1000);
        await store.delete('a');
        await store.delete('b');
        expect(await store.get('a')).toBeNull();
        expect(await store.get('b')).toBeNull();
        expect(await store.ttl('b')).toBeNull();
      });

      it('accepts a missing key', async () => {
        await expect(store.delete('missing')).resolves.toBeUndefined();
      });

      it('frees the key for setIfAbsent', async () => {
        await store.setIfAbsent('k', 'a', 60_000);
        await store.delete('k');
        expect(await store.setIfAbsent('k', 'b', 60_000)).toBe(true);
      });
    });

    describe('isolation', () => {
      it('is not changed by mutating the value given to set', async () => {
        const value = { list: [1, 2], inner: { x: 1 } };
        await store.set('k', value);
        value.list.push(3);
        value.inner.x = 99;
        expect(await store.get('k')).toEqual({ list: [1, 2], inner: { x: 1 } });
      });

      it('is not changed by mutating the value given to setIfAbsent', async () => {
        const value = { n: 1 };
        await store.setIfAbsent('k', value, 1000);
        value.n = 2;
        expect(await store.get('k')).toEqual({ n: 1 });
      });

      it('is not changed by mutating a value it returned', async () => {
        await store.set('k', { list: [1], inner: { x: 1 } });
        const got = (await store.get('k')) as { list: number[]; inner: { x: number } };
        got.list.push(2);
        got.inner.x = 99;
        expect(await store.get('k')).toEqual({ list: [1], inner: { x: 1 } });
      });
    });

    describe('applyGateOps', () => {
      const claim = (key: string, value: JsonValue, ttlMs = 60_000): GateOp => ({ op: 'claim', key, value, ttlMs });
      const hit = (key: string, max: number, windowMs = 60_000): GateOp => ({ op: 'hit', key, max, windowMs });
      const read = (key: string, refuseOn: Extract<GateOp, { op: 'read' }>['refuseOn']): GateOp => ({
        op: 'read',
        key,
        refuseOn,
      });

      it('answers an empty list with no results', async () => {
        expect(await store.applyGateOps([])).toEqual([]);
      });

      it('passes a claim on an absent key and sets it with its TTL', async () => {
        expect(await store.applyGateOps([claim('dedup', { run: 'r1' }, 5000)])).toEqual([
          { op: 'claim', refused: false, holder: null },
        ]);
        expect(await store.get('dedup')).toEqual({ run: 'r1' });
        expect(await store.ttl('dedup')).toBe(5000);
      });

      it('refuses a claim on a present key, names the holder and leaves it untouched', async () => {
        await store.setIfAbsent('dedup', { run: 'r1' }, 5000);
        await advance(1000);
        expect(await store.applyGateOps([claim('dedup', { run: 'r2' }, 5000)])).toEqual([
          { op: 'claim', refused: true, holder: { run: 'r1' } },
        ]);
        expect(await store.get('dedup')).toEqual({ run: 'r1' });
        expect(await store.ttl('dedup')).toBe(4000);
      });

      it('passes a claim again once the key expired', async () => {
        await store.applyGateOps([claim('cooldown', true, 1000)]);
        await advance(1000);
        expect(await store.applyGateOps([claim('cooldown', 'again', 1000)])).toEqual([
          { op: 'claim', refused: false, holder: null },
        ]);
        expect(await store.get('cooldown')).toBe('again');
      });

      it('counts hits like hit() and does not count a refusal', async () => {
        const start = now();
        expect(await store.applyGateOps([hit('rate', 2)])).toEqual([
          { op: 'hit', refused: false, allowed: true, count: 1, resetAt: start + 60_000 },
        ]);
        await store.applyGateOps([hit('rate', 2)]);
        for (let i = 0; i < 3; i++) {
          expect(await store.applyGateOps([hit('rate', 2)])).toEqual([
            { op: 'hit', refused: true, allowed: false, count: 2, resetAt: start + 60_000 },
          ]);
        }
        expect(await store.hit('rate', 3, 60_000)).toEqual({ allowed: true, count: 3, resetAt: start + 60_000 });
      });

      it('reads an absent key as passing whatever the rule', async () => {
        const results = await store.applyGateOps([
          read('m1', 'present'),
          read('m2', { anyOf: ['"open"'] }),
          read('m3', { except: ['"closed"'] }),
        ]);
        expect(results).toEqual([
          { op: 'read', refused: false, value: null, ttlMs: null },
          { op: 'read', refused: false, value: null, ttlMs: null },
          { op: 'read', refused: false, value: null, ttlMs: null },
        ]);
      });

      it("refuses a read on a present key with 'present', and reports the value and TTL", async () => {
        await store.set('maintenance', { by: 'ops' }, 30_000);
        await advance(10_000);
        expect(await store.applyGateOps([read('maintenance', 'present')])).toEqual([
          { op: 'read', refused: true, value: { by: 'ops' }, ttlMs: 20_000 },
        ]);
        await store.set('forever', 1);
        expect(await store.applyGateOps([read('forever', 'present')])).toEqual([
          { op: 'read', refused: true, value: 1, ttlMs: null },
        ]);
      });

      it('refuses a read with anyOf only when the JSON text is listed', async () => {
        await store.set('circuit', 'open');
        expect(await store.applyGateOps([read('circuit', { anyOf: ['"open"', '"half"'] })])).toMatchObject([
          { refused: true, value: 'open' },
        ]);
        // The rule compares JSON text: the string "open" is '"open"', not 'open'.
        expect(await store.applyGateOps([read('circuit', { anyOf: ['open'] })])).toMatchObject([{ refused: false }]);
        await store.set('circuit', 'closed');
        expect(await store.applyGateOps([read('circuit', { anyOf: ['"open"'] })])).toMatchObject([
          { refused: false, value: 'closed' },
        ]);
      });

      it('refuses a read with except unless the JSON text is listed', async () => {
        await store.set('circuit', 'closed');
        expect(await store.applyGateOps([read('circuit', { except: ['"closed"'] })])).toMatchObject([
          { refused: false, value: 'closed' },
        ]);
        await store.set('circuit', { state: 'open' });
        expect(await store.applyGateOps([read('circuit', { except: ['"closed"'] })])).toMatchObject([
          { refused: true, value: { state: 'open' } },
        ]);
        await store.set('n', 3);
        expect(await store.applyGateOps([read('n', { except: ['3'] })])).toMatchObject([{ refused: false }]);
      });

      it('applies every op in order when none refuses', async () => {
        const results = await store.applyGateOps([
          read('maintenance', 'present'),
          claim('dedup', 'r1'),
          hit('rate', 5),
          read('dedup', { anyOf: ['"r1"'] }),
        ]);
        expect(results.map((r) => [r.op, r.refused])).toEqual([
          ['read', false],
          ['claim', false],
          ['hit', false],
          // The read sees the claim made earlier in the same list.
          ['read', true],
        ]);
        expect(await store.get('dedup')).toBe('r1');
        expect(await store.hit('rate', 5, 60_000)).toMatchObject({ allowed: true, count: 2 });
      });

      it('stops after the first refusal: later ops are neither reported nor applied', async () => {
        await store.set('maintenance', true);
        const results = await store.applyGateOps([
          claim('dedup-before', 'kept'),
          read('maintenance', 'present'),
          hit('rate', 5),
          claim('dedup-after', 'never'),
        ]);
        expect(results).toEqual<GateOpResult[]>([
          { op: 'claim', refused: false, holder: null },
          { op: 'read', refused: true, value: true, ttlMs: null },
        ]);
        expect(await store.get('dedup-before')).toBe('kept');
        expect(await store.get('dedup-after')).toBeNull();
        expect(await store.hit('rate', 5, 60_000)).toMatchObject({ allowed: true, count: 1 });
      });

      it('does not count a later hit when a claim refuses first', async () => {
        await store.set('dedup', 'holder');
        expect(await store.applyGateOps([claim('dedup', 'x'), hit('rate', 1)])).toHaveLength(1);
        expect(await store.hit('rate', 1, 60_000)).toMatchObject({ allowed: true, count: 1 });
      });

      it('does not set a later claim when a hit refuses first', async () => {
        await store.hit('rate', 1, 60_000);
        expect(await store.applyGateOps([hit('rate', 1), claim('dedup', 'x')])).toMatchObject([
          { op: 'hit', refused: true, count: 1 },
        ]);
        expect(await store.get('dedup')).toBeNull();
      });

      it('applies concurrent lists one at a time, each atomic as a whole', async () => {
        // 20 lists race through the same gates: rate (max 3) then dedup. Were two lists to
        // interleave, two could pass the claim, or a hit would count for a list refused later.
        const lists = Array.from({ length: 20 }, (_, i) =>
          store.applyGateOps([read('maintenance', 'present'), hit('rate', 3), claim('dedup', { caller: i })]),
        );
        const results = await Promise.all(lists);
        const passed = results.filter((r) => r.length === 3 && r.every((x) => !x.refused));
        expect(passed).toHaveLength(1);
        const hitsAllowed = results.filter((r) => r[1]?.op === 'hit' && !r[1].refused);
        expect(hitsAllowed).toHaveLength(3);
        expect(results.filter((r) => r.length === 2 && r[1]?.refused)).toHaveLength(17);
        expect(await store.hit('rate', 4, 60_000)).toMatchObject({ allowed: true, count: 4 });
        expect(await store.get('dedup')).toEqual({ caller: results.indexOf(passed[0] as GateOpResult[]) });
      });
    });

    describe('keys', () => {
      const odd = [
        'service:nginx:host:web-01',
        'with spaces  and\ttab',
        'line\nbreak',
        'é🙂 中文',
        'caf\u00e9',
        'cafe\u0301',
        '*',
        '?[a]',
        '%_',
        "quote'\"`",
        'a',
        'a:',
        'a:b',
        '',
      ];

      it('keeps keys with odd characters distinct, byte for byte', async () => {
        for (const [i, key] of odd.entries()) await store.set(key, i);
        for (const [i, key] of odd.entries()) expect(await store.get(key)).toBe(i);
        await store.delete('a');
        expect(await store.get('a')).toBeNull();
        expect(await store.get('a:')).toBe(odd.indexOf('a:'));
        expect(await store.get('*')).toBe(odd.indexOf('*'));
      });

      it('supports TTL, setIfAbsent and hit on odd keys', async () => {
        for (const key of odd) {
          expect(await store.setIfAbsent(`dedup ${key}`, true, 1000)).toBe(true);
          expect(await store.ttl(`dedup ${key}`)).toBe(1000);
          expect((await store.hit(`rate ${key}`, 1, 1000)).allowed).toBe(true);
          expect((await store.hit(`rate ${key}`, 1, 1000)).allowed).toBe(false);
        }
      });
    });
  });
}
