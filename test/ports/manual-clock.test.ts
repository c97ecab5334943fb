import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { SystemClock } from '../../runtime/system-clock.ts';

describe('ManualClock', () => {
  it('starts at the given time and moves only when told', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
  });

  it('refuses to move backwards, with a coded error', () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.advance(-1)).toThrow(expect.objectContaining({ code: 'CLOCK_BACKWARDS' }));
    expect(() => clock.set(999)).toThrow(expect.objectContaining({ code: 'CLOCK_BACKWARDS' }));
    expect(() => clock.advance(Number.NaN)).toThrow(expect.objectContaining({ code: 'CLOCK_BACKWARDS' }));
    expect(clock.now()).toBe(1_000);
  });

  it('resolves a delay once the clock reaches its deadline, not before', async () => {
    const clock = new ManualClock(0);
    let done = false;
    const p = clock.delay(100).then(() => {
      done = true;
    });
    clock.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    await p;
    expect(done).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires due timers by deadline, then by creation order', async () => {
    const clock = new ManualClock(0);
    const order: string[] = [];
    const all = [
      clock.delay(300).then(() => order.push('c@300')),
      clock.delay(100).then(() => order.push('a@100')),
      clock.delay(200).then(() => order.push('b1@200')),
      clock.delay(200).then(() => order.push('b2@200')),
      clock.delay(1000).then(() => order.push('late')),
    ];
    clock.advance(500);
    await Promise.all(all.slice(0, 4));
    expect(order).toEqual(['a@100', 'b1@200', 'b2@200', 'c@300']);
    expect(clock.pendingTimers()).toBe(1);
    clock.set(1000);
    await all[4];
    expect(order.at(-1)).toBe('late');
  });

  it('resolves a zero or negative delay at once', async () => {
    const clock = new ManualClock(0);
    await clock.delay(0);
    await clock.delay(-5);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const clock = new ManualClock(0);
    const reason = new Error('cancelled');
    await expect(clock.delay(100, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects with the reason when the signal aborts, and drops the timer', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const p = clock.delay(100, controller.signal);
    expect(clock.pendingTimers()).toBe(1);
    const reason = new Error('shutdown');
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('ignores an abort after the delay has resolved', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const p = clock.delay(10, controller.signal);
    clock.advance(10);
    await p;
    controller.abort();
    await expect(p).resolves.toBeUndefined();
  });

  it('rejects a NaN delay with a coded error', async () => {
    await expect(new ManualClock(0).delay(Number.NaN)).rejects.toMatchObject({ code: 'CLOCK_INVALID_DELAY' });
  });
});

describe('SystemClock', () => {
  it('reads wall time', () => {
    const before = Date.now();
    const t = new SystemClock().now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it('resolves a zero delay', async () => {
    await expect(new SystemClock().delay(0)).resolves.toBeUndefined();
  });

  it('rejects with the reason when aborted, before or during the delay', async () => {
    const clock = new SystemClock();
    const reason = new Error('stop');
    await expect(clock.delay(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const p = clock.delay(60_000, controller.signal);
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
  });
});
