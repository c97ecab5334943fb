import { reject, type Read } from './outcome.ts';
import { describe } from './fields.ts';

/**
 * Timestamps from monitoring tools: RFC 3339 with any number of fraction digits
 * (Alertmanager sends nanoseconds), the SQL form `2026-11-21 23:03:39.623`, and Unix
 * seconds. Parsed by hand: Date.parse is lenient in engine-specific ways and maps
 * years 0-99 to the 1900s.
 */

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: what the event's `at` pattern can hold. */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?[ ]?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Epoch ms of a date-time text. A text without a zone is read at `naiveOffsetMinutes`
 * east of UTC (0 unless the source says otherwise). Null when it does not parse.
 */
export function parseDateTime(text: string, naiveOffsetMinutes = 0): number | null {
  if (text.length > 64) return null;
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', z, sign, oh = '0', om = '0'] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as they are
  date.setUTCHours(hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const offset = z !== undefined ? 0 : sign !== undefined ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : naiveOffsetMinutes;
  return date.getTime() - offset * 60_000;
}

/** Epoch ms of Unix seconds given as a number or a decimal text; null otherwise. */
export function parseUnixSeconds(value: unknown): number | null {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^-?\d{1,15}(\.\d{1,9})?$/.test(value)) seconds = Number(value);
  else return null;
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

/** `+01:00`, `-0530`, `Z`: minutes east of UTC, or null. */
export function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (m === null || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * Checks an instant and renders it as the event's `at`. Old instants are kept (the
 * stale gate judges them); more than a day ahead of reception is refused: a clock that
 * wrong would defeat the stale gate and the dedup windows.
 */
export function eventTime(ms: number | null, raw: unknown, path: string, receivedAt: number): Read<string> {
  if (ms === null || !Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    return reject('BAD_TIMESTAMP', `${path} is not a timestamp we can read (got ${describe(raw)})`, path);
  }
  if (ms > receivedAt + DAY_MS) {
    return reject('FUTURE_TIMESTAMP', `${path} is more than one day after the time of reception`, path);
  }
  return { ok: true, value: new Date(ms).toISOString() };
}
