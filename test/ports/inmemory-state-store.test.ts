import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { InMemoryStateStore } from '../../runtime/inmemory/state-store.ts';
import { stateStoreContract } from './state-store.contract.ts';

const START = Date.UTC(2025, 0, 15, 10, 0, 0);

stateStoreContract('InMemoryStateStore', async () => {
  const clock = new ManualClock(START);
  return { store: new InMemoryStateStore(clock), clock, close: async () => {} };
});

describe('InMemoryStateStore specifics', () => {
  it('refuses a hit on a key that holds a plain value', async () => {
    const store = new InMemoryStateStore(new ManualClock(START));
    await store.set('k', 'text');
    await expect(store.hit('k', 3, 1000)).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
  });

  it('exposes a rate window as its count with the window as TTL', async () => {
    const clock = new ManualClock(START);
    const store = new InMemoryStateStore(clock);
    await store.hit('r', 5, 1000);
    await store.hit('r', 5, 1000);
    clock.advance(300);
    expect(await store.get('r')).toBe(2);
    expect(await store.ttl('r')).toBe(700);
  });

  it('rejects invalid TTLs and windows with a coded error', async () => {
    const store = new InMemoryStateStore(new ManualClock(START));
    await expect(store.set('k', 1, 0)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.setIfAbsent('k', 1, -5)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.set('k', 1, 1.5)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
    await expect(store.hit('k', 1, Number.NaN)).rejects.toMatchObject({ code: 'STATE_INVALID_TTL' });
  });

  it('rejects a value that is not JSON', async () => {
    const store = new InMemoryStateStore(new ManualClock(START));
    await expect(store.set('k', undefined as never)).rejects.toMatchObject({ code: 'NOT_JSON' });
  });

  it('purges expired entries without changing what reads see', async () => {
    const clock = new ManualClock(START);
    const store = new InMemoryStateStore(clock);
    await store.set('short', 1, 100);
    await store.set('long', 2, 10_000);
    await store.set('forever', 3);
    clock.advance(100);
    expect(store.purgeExpired()).toBe(1);
    expect(await store.get('long')).toBe(2);
    expect(await store.get('forever')).toBe(3);
  });

  it('undoes the writes of a gate op list that throws part way', async () => {
    const store = new InMemoryStateStore(new ManualClock(START));
    await store.set('plain', 'text');
    await store.set('dedup-old', 'before', 5000);
    await expect(
      store.applyGateOps([
        { op: 'claim', key: 'dedup-new', value: 'x', ttlMs: 1000 },
        { op: 'hit', key: 'rate', max: 5, windowMs: 1000 },
        { op: 'hit', key: 'plain', max: 5, windowMs: 1000 },
      ]),
    ).rejects.toMatchObject({ code: 'STATE_WRONG_TYPE' });
    expect(await store.get('dedup-new')).toBeNull();
    expect(await store.get('rate')).toBeNull();
    expect(await store.get('dedup-old')).toBe('before');
    expect(await store.setIfAbsent('dedup-new', 'y', 1000)).toBe(true);
  });

  it('uses no real timers: nothing expires while the clock stands still', async () => {
    const clock = new ManualClock(START);
    const store = new InMemoryStateStore(clock);
    await store.set('k', 'v', 1);
    expect(await store.get('k')).toBe('v');
    expect(clock.pendingTimers()).toBe(0);
  });
});
