import { describe, expect, it } from 'vitest';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { RandomIds } from '../../runtime/random-ids.ts';

describe('CounterIds', () => {
  it('counts per prefix, zero-padded to four digits', () => {
    const ids = new CounterIds();
    expect(ids.next('run_')).toBe('run_0001');
    expect(ids.next('run_')).toBe('run_0002');
    expect(ids.next('audit_')).toBe('audit_0001');
    expect(ids.next('run_')).toBe('run_0003');
  });

  it('is deterministic across instances', () => {
    const a = new CounterIds();
    const b = new CounterIds();
    const seq = (ids: CounterIds): string[] => ['run_', 'x_', 'run_'].map((p) => ids.next(p));
    expect(seq(a)).toEqual(seq(b));
  });

  it('keeps counting past 9999', () => {
    const ids = new CounterIds();
    let last = '';
    for (let i = 0; i < 10_000; i++) last = ids.next('e_');
    expect(last).toBe('e_10000');
  });
});

describe('RandomIds', () => {
  it('gives the prefix and 12 lowercase base32 characters', () => {
    const id = new RandomIds().next('run_');
    expect(id).toMatch(/^run_[0-9a-hjkmnp-tv-z]{12}$/);
  });

  it('does not repeat', () => {
    const ids = new RandomIds();
    const seen = new Set(Array.from({ length: 1000 }, () => ids.next('run_')));
    expect(seen.size).toBe(1000);
  });
});
