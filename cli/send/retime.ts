/**
 * `engine send --now`: moves a captured sample in time so that its latest timestamp is now,
 * keeping every other time where it was relative to it (a resolve stays after its firing, a
 * duration stays the same) and every text in its own layout. A sample is then judged as fresh by
 * the stale gate, exactly like the alert it was captured from.
 *
 * Times are found by their layout, wherever they are in the body (whole strings or inside a
 * sentence, as in Observium's "4m 29s (2026-11-21 23:07:23)"), plus Unix seconds under a key
 * that says so. The wall clock is shifted, the written offset kept, so the layout decides nothing.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** ISO 8601 and its SQL-like cousins: 2026-11-21T22:59:41.059619843Z, 2026-11-21 23:03:39.623, 2026-11-21 23:11:52 +00:00. */
const ISO_LIKE = /(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?/g;
/** RFC 2822: Sat, 21 Nov 2026 23:11:52 +0000. */
const RFC_2822 = /\b(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})/g;
/** Keys whose value is Unix seconds (Observium's ALERT_UNIXTIME). */
const UNIX_KEY = /unix_?time|epoch/i;
/** Alertmanager's "no end" and other placeholders before this year are not times to move. */
const EARLIEST = Date.UTC(1971, 0, 1);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The latest time written in the body (epoch ms), or null when it holds none. */
export function latestTime(body: unknown): number | null {
  let latest: number | null = null;
  const see = (ms: number) => {
    if (ms >= EARLIEST && (latest === null || ms > latest)) latest = ms;
  };
  visit(body as Json, null, {
    text: (s) => {
      forEachIso(s, (ms) => see(ms));
      forEachRfc(s, (ms) => see(ms));
      return s;
    },
    unix: (seconds) => {
      see(seconds * 1000);
      return seconds;
    },
  });
  return latest;
}

/** A copy of the body with every time moved by the same amount, so its latest time is `now`. */
export function retime<T>(body: T, now: number): { body: T; shiftedBy: number } {
  const latest = latestTime(body);
  if (latest === null) return { body, shiftedBy: 0 };
  const delta = now - latest;
  const moved = visit(body as Json, null, {
    text: (s) => shiftRfc(shiftIso(s, delta), delta),
    unix: (seconds) => seconds + Math.round(delta / 1000),
  });
  return { body: moved as T, shiftedBy: delta };
}

interface Visitor {
  text(s: string): string;
  unix(seconds: number): number;
}

function visit(value: Json, key: string | null, v: Visitor): Json {
  if (typeof value === 'string') {
    if (key !== null && UNIX_KEY.test(key) && /^\d{9,11}$/.test(value)) return String(v.unix(Number(value)));
    return v.text(value);
  }
  if (typeof value === 'number') return key !== null && UNIX_KEY.test(key) && Number.isInteger(value) && value > 1e8 ? v.unix(value) : value;
  if (Array.isArray(value)) return value.map((item) => visit(item, null, v));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, item] of Object.entries(value)) out[k] = visit(item, k, v);
    return out;
  }
  return value;
}

function isoMs(m: RegExpMatchArray): { ms: number; fraction: string } {
  const fraction = m[8] ?? '';
  const millis = fraction ? Number(fraction.slice(1, 4).padEnd(3, '0')) : 0;
  return { ms: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[5]!, +m[6]!, +m[7]!, millis), fraction };
}

function forEachIso(s: string, see: (ms: number) => void): void {
  for (const m of s.matchAll(ISO_LIKE)) see(isoMs(m).ms);
}

function shiftIso(s: string, delta: number): string {
  return s.replace(ISO_LIKE, (...args: string[]) => {
    const m = args.slice(0, 9) as unknown as RegExpMatchArray;
    const { ms, fraction } = isoMs(m);
    if (ms < EARLIEST) return m[0]!;
    const d = new Date(ms + delta);
    // Digits past the milliseconds (Alertmanager writes nanoseconds) are kept as written.
    const frac = fraction ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}${fraction.slice(4)}`.slice(0, fraction.length) : '';
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}${m[4]}${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${frac}`;
  });
}

function rfcMs(m: RegExpMatchArray): number {
  return Date.UTC(+m[4]!, MONTHS.indexOf(m[3]!), +m[2]!, +m[5]!, +m[6]!, +m[7]!);
}

function forEachRfc(s: string, see: (ms: number) => void): void {
  for (const m of s.matchAll(RFC_2822)) see(rfcMs(m));
}

function shiftRfc(s: string, delta: number): string {
  return s.replace(RFC_2822, (...args: string[]) => {
    const d = new Date(rfcMs(args.slice(0, 8) as unknown as RegExpMatchArray) + delta);
    return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  });
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
