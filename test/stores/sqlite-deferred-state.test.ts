import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { SqliteStateStore } from '../../runtime/stores/sqlite/state-store.ts';
import { stateStoreContract } from '../ports/state-store.contract.ts';

const START = Date.UTC(2025, 0, 15, 10, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'heal-sqlite-deferred-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => void vi.useRealTimers());

const deferred = (onFlushError: (e: unknown) => void = (e) => { throw e; }) => ({ deferGateWrites: { onFlushError } });

// The write-behind mode must keep every promise of the port, as seen through the store.
stateStoreContract('SqliteStateStore (file, gate writes deferred)', async () => {
  const clock = new ManualClock(START);
  const db = openDatabase(join(dir, `contract-${++files}.db`));
  const store = new SqliteStateStore(db, clock, deferred());
  return { store, clock, close: async () => { store.flush(); db.close(); } };
});

describe('SqliteStateStore with deferred gate writes', () => {
  const fresh = () => {
    const clock = new ManualClock(START);
    const path = join(dir, `deferred-${++files}.db`);
    const db = openDatabase(path);
    const errors: unknown[] = [];
    const store = new SqliteStateStore(db, clock, { deferGateWrites: { flushAfterMs: 500, onFlushError: (e) => errors.push(e) } });
    return { clock, db, path, store, errors };
  };
  /** What another connection to the file sees: only what was committed. */
  const onFile = (path: string, key: string): string | null => {
    const other = openDatabase(path);
    try {
      return (other.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
    } finally {
      other.close();
    }
  };
  const gatePath = [
    { op: 'claim', key: 'dedup:a', value: 'evt_1', ttlMs: 60_000 },
    { op: 'hit', key: 'rate:a', max: 3, windowMs: 60_000 },
  ] as const;

  it('keeps gate writes in memory, visible to reads at once, until a commit carries them to the file', async () => {
    const { db, path, store } = fresh();
    expect(await store.applyGateOps(gatePath)).toMatchObject([{ refused: false }, { refused: false, count: 1 }]);
    expect(await store.get('dedup:a')).toBe('evt_1');
    expect(await store.applyGateOps(gatePath)).toMatchObject([{ refused: true, holder: 'evt_1' }]);
    expect(onFile(path, 'dedup:a')).toBeNull();

    const records = new SqliteRecords(db, { ingestWithin: (write) => store.commitWith(write) });
    await records.commitIngest({ events: [{ eventId: 'evt_1', source: 'test', receivedAt: new Date(START).toISOString(), event: null, summary: 's', runs: [], skipped: [] }], runs: [] });
    expect(onFile(path, 'dedup:a')).toBe('"evt_1"');
    expect(onFile(path, 'rate:a')).toBe('1');
    store.flush();
    db.close();
  });

  it('keeps the gate writes pending when the commit that carries them fails', async () => {
    const { db, path, store } = fresh();
    await store.applyGateOps(gatePath);
    expect(() => store.commitWith(() => { throw new Error('disk full'); })).toThrow('disk full');
    expect(onFile(path, 'dedup:a')).toBeNull();
    expect(await store.get('dedup:a')).toBe('evt_1');
    store.flush();
    expect(onFile(path, 'dedup:a')).toBe('"evt_1"');
    db.close();
  });

  it('undoes the memory writes of a gate op list that throws part way', async () => {
    const { db, store } = fresh();
    await store.set('plain', 'text');
    await expect(store.applyGateOps([...gatePath, { op: 'hit', key: 'plain', max: 5, windowMs: 1000 }])).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
    expect(await store.get('dedup:a')).toBeNull();
    expect(await store.get('rate:a')).toBeNull();
    store.flush();
    db.close();
  });

  it('makes a direct write durable when it resolves, with the gate writes pending before it', async () => {
    const { db, path, store } = fresh();
    await store.applyGateOps(gatePath);
    await store.set('cooldown:a', true, 60_000);
    expect(onFile(path, 'cooldown:a')).toBe('true');
    expect(onFile(path, 'dedup:a')).toBe('"evt_1"');
    await store.delete('cooldown:a');
    expect(onFile(path, 'cooldown:a')).toBeNull();
    db.close();
  });

  it('leaves in the file what was committed: a reopened store sees it, expired keys excepted', async () => {
    const { clock, db, path, store } = fresh();
    await store.applyGateOps(gatePath);
    await store.set('short', 1, 1000);
    await store.set('forever', 'kept');
    store.flush();
    db.close();
    clock.advance(1000);
    const again = openDatabase(path);
    const reopened = new SqliteStateStore(again, clock, deferred());
    expect(await reopened.get('dedup:a')).toBe('evt_1');
    expect(await reopened.get('forever')).toBe('kept');
    expect(await reopened.get('short')).toBeNull();
    expect(await reopened.applyGateOps(gatePath)).toMatchObject([{ refused: true, holder: 'evt_1' }]);
    again.close();
  });

  it('reads a pending write as absent once the clock passes its expiry', async () => {
    const { clock, db, store } = fresh();
    await store.applyGateOps(gatePath);
    clock.advance(60_000);
    expect(await store.get('dedup:a')).toBeNull();
    expect(await store.applyGateOps(gatePath)).toMatchObject([{ refused: false }, { refused: false, count: 1 }]);
    store.flush();
    db.close();
  });

  it('flushes pending gate writes on its own when no commit follows', async () => {
    vi.useFakeTimers();
    const { db, path, store, errors } = fresh();
    await store.applyGateOps(gatePath);
    expect(onFile(path, 'dedup:a')).toBeNull();
    await vi.advanceTimersByTimeAsync(500);
    expect(onFile(path, 'dedup:a')).toBe('"evt_1"');
    expect(errors).toEqual([]);
    db.close();
  });

  it('reports a failed background flush and keeps the writes pending', async () => {
    vi.useFakeTimers();
    const { db, store, errors } = fresh();
    await store.applyGateOps(gatePath);
    db.close(); // the flush now fails: the file is closed under it
    await vi.advanceTimersByTimeAsync(500);
    expect(errors).toHaveLength(1);
    expect(await store.get('dedup:a')).toBe('evt_1'); // read from memory: the file is gone
  });
});
