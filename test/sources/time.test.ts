import { describe, expect, it } from 'vitest';
import { eventTime, parseDateTime, parseOffset, parseUnixSeconds } from '../../runtime/sources/time.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseDateTime', () => {
  it.each([
    ['2026-11-21T22:59:41.059619843Z', '2026-11-21T22:59:41.059Z'],
    ['2026-11-21 23:03:39.623', '2026-11-21T23:03:39.623Z'],
    ['2026-11-21 23:11:52 +00:00', '2026-11-21T23:11:52.000Z'],
    ['2026-11-22T00:11:52+01:00', '2026-11-21T23:11:52.000Z'],
    ['2026-11-21T18:11:52-0500', '2026-11-21T23:11:52.000Z'],
    ['2026-11-21T23:11', '2026-11-21T23:11:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ])('%s → %s', (text, want) => {
    expect(iso(parseDateTime(text))).toBe(want);
  });

  it('applies the offset given for naive times', () => {
    expect(iso(parseDateTime('2026-11-22 00:03:39', 60))).toBe('2026-11-21T23:03:39.000Z');
  });

  it.each(['', 'yesterday', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-21T24:00:00Z', '2026-11-21T23:59:60Z', '2026-11-21', '12345', `2026-11-21T23:00:00.${'1'.repeat(80)}Z`])(
    'refuses %j',
    (text) => {
      expect(parseDateTime(text)).toBeNull();
    },
  );
});

describe('parseUnixSeconds and parseOffset', () => {
  it('reads numbers and decimal texts', () => {
    expect(parseUnixSeconds(1795302712)).toBe(1795302712000);
    expect(parseUnixSeconds('1795302712')).toBe(1795302712000);
    expect(parseUnixSeconds('1795302712.5')).toBe(1795302712500);
    expect(parseUnixSeconds('17953e2')).toBeNull();
    expect(parseUnixSeconds(Number.NaN)).toBeNull();
    expect(parseUnixSeconds({})).toBeNull();
  });

  it('reads zone offsets', () => {
    expect(parseOffset('+00:00')).toBe(0);
    expect(parseOffset('-05:30')).toBe(-330);
    expect(parseOffset('+0100')).toBe(60);
    expect(parseOffset('+25:00')).toBeNull();
  });
});

describe('eventTime', () => {
  const received = Date.parse('2026-11-21T23:15:00Z');

  it('keeps old instants: the stale gate judges them', () => {
    expect(eventTime(Date.parse('2001-01-01T00:00:00Z'), 'x', 'at', received)).toEqual({ ok: true, value: '2001-01-01T00:00:00.000Z' });
  });

  it('accepts up to one day ahead, refuses beyond', () => {
    expect(eventTime(received + 86_400_000, 'x', 'at', received).ok).toBe(true);
    expect(eventTime(received + 86_400_001, 'x', 'at', received)).toMatchObject({ ok: false, code: 'FUTURE_TIMESTAMP', path: 'at' });
  });

  it('refuses what the event cannot hold', () => {
    expect(eventTime(null, 'soon', 'at', received)).toMatchObject({ ok: false, code: 'BAD_TIMESTAMP', reason: 'at is not a timestamp we can read (got "soon")' });
    expect(eventTime(-1e15, -1e12, 'at', received)).toMatchObject({ ok: false, code: 'BAD_TIMESTAMP' });
  });
});
