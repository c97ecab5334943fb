import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteStateStore } from '../../runtime/stores/sqlite/state-store.ts';
import { stateStoreContract } from '../ports/state-store.contract.ts';

const START = Date.UTC(2025, 0, 15, 10, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'heal-sqlite-state-'));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

stateStoreContract('SqliteStateStore (:memory:)', async () => {
  const clock = new ManualClock(START);
  const db = openDatabase(':memory:');
  return { store: new SqliteStateStore(db, clock), clock, close: async () => void db.close() };
});

stateStoreContract('SqliteStateStore (file, WAL)', async () => {
  const clock = new ManualClock(START);
  const db = openDatabase(join(dir, `nested/state-${++files}.db`));
  return { store: new SqliteStateStore(db, clock), clock, close: async () => void db.close() };
});

describe('SqliteStateStore specifics', () => {
  const fresh = (options?: { purgeEveryWrites?: number }) => {
    const clock = new ManualClock(START);
    const db = openDatabase(':memory:');
    return { clock, db, store: new SqliteStateStore(db, clock, options) };
  };
  const rows = (db: ReturnType<typeof openDatabase>): number =>
    (db.prepare('SELECT COUNT(*) AS n FROM state').get() as { n: number }).n;

  it('refuses a hit on a key that holds a plain value', async () => {
    const { store } = fresh();
    await store.set('k', 'text');
    await expect(store.hit('k', 3, 1000)).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
  });

  it('rejects invalid TTLs and values that are not JSON with a coded error', async () => {
    const { store } = fresh();
    await expect(store.set('k', 1, 0)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.setIfAbsent('k', 1, 1.5)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.hit('k', 1, Number.NaN)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.set('k', undefined as never)).rejects.toMatchObject({ code: 'NOT_JSON' });
    expect(await store.get('k')).toBeNull();
  });

  it('purges expired rows every N writes, without changing what reads see', async () => {
    const { clock, db, store } = fresh({ purgeEveryWrites: 10 });
    for (let i = 0; i < 5; i++) await store.set(`short${i}`, i, 100);
    await store.set('forever', 'kept');
    await store.set('long', 'kept', 60_000);
    clock.advance(100);
    expect(rows(db)).toBe(7);
    expect(await store.get('short0')).toBeNull();
    await store.set('a', 1);
    await store.set('b', 2);
    expect(rows(db)).toBe(9);
    await store.set('c', 3); // the 10th write purges the 5 expired rows
    expect(rows(db)).toBe(5);
    expect(await store.get('forever')).toBe('kept');
    expect(await store.get('long')).toBe('kept');
  });

  it('purges on demand and reports how many rows went', async () => {
    const { clock, store } = fresh();
    await store.set('short', 1, 100);
    await store.setIfAbsent('dedup', 1, 200);
    await store.hit('rate', 3, 300);
    clock.advance(200);
    expect(store.purgeExpired()).toBe(2);
    expect(await store.hit('rate', 3, 300)).toMatchObject({ allowed: true, count: 2 });
  });

  it('undoes a whole gate op list that throws part way', async () => {
    const { store } = fresh();
    await store.set('plain', 'text');
    await expect(
      store.applyGateOps([
        { op: 'claim', key: 'dedup', value: 'x', ttlMs: 1000 },
        { op: 'hit', key: 'rate', max: 5, windowMs: 1000 },
        { op: 'hit', key: 'plain', max: 5, windowMs: 1000 },
      ]),
    ).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
    expect(await store.get('dedup')).toBeNull();
    expect(await store.get('rate')).toBeNull();
  });

  it('shares the keys between two connections to the same file', async () => {
    const path = join(dir, `shared-${++files}.db`);
    const clock = new ManualClock(START);
    const [db1, db2] = [openDatabase(path), openDatabase(path)];
    const [a, b] = [new SqliteStateStore(db1, clock), new SqliteStateStore(db2, clock)];
    expect(await a.setIfAbsent('dedup', 'a', 1000)).toBe(true);
    expect(await b.setIfAbsent('dedup', 'b', 1000)).toBe(false);
    await a.hit('rate', 2, 1000);
    expect(await b.applyGateOps([{ op: 'hit', key: 'rate', max: 2, windowMs: 1000 }])).toMatchObject([{ count: 2 }]);
    expect(await a.hit('rate', 2, 1000)).toMatchObject({ allowed: false, count: 2 });
    db1.close();
    db2.close();
  });
});
