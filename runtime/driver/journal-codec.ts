import { isSealed, type Secrets } from '../../engine/ports/secrets.ts';
import { REDACTED } from '../../engine/trace/redact.ts';

/** Sealed secrets in a journal live a day: long enough for an approval to wait, short enough to age out. */
const JOURNAL_SECRET_TTL_MS = 24 * 3_600_000;

/**
 * What a journal body holds: plain JSON (undefined dropped, as a reader would see it), and every
 * string that carries a configured secret sealed, so the journal never holds a secret in clear.
 * Without a Secrets port the string is masked instead: the journal then cannot replay it.
 */
export function encodeBody(value: unknown, secretValues: readonly string[], secrets: Secrets | null, plain = false): unknown {
  // `plain`: the caller made the value plain JSON already (a result fed back as the journal keeps it).
  const json = plain ? value : asPlainJson(value);
  const live = secretValues.filter((s) => s.length >= 4);
  return live.length === 0 ? json : seal(json, live, secrets);
}

/**
 * The value as JSON would read it back: itself when it already is plain JSON (the usual case,
 * checked by one walk), else a JSON copy (undefined fields dropped, a Date as its text...).
 */
export function asPlainJson(value: unknown): unknown {
  if (value === undefined) return null;
  return isPlainJson(value, 0) ? value : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isPlainJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!isPlainJson(x, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) if (!isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

function seal(value: unknown, live: readonly string[], secrets: Secrets | null): unknown {
  if (typeof value === 'string') {
    if (!live.some((s) => value.includes(s))) return value;
    return secrets ? secrets.seal(value, JOURNAL_SECRET_TTL_MS) : REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => seal(v, live, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = seal(v, live, secrets);
    return out;
  }
  return value;
}

/** The body as the run saw it: sealed secrets opened (SECRET_EXPIRED / SECRET_INVALID are thrown). */
export function decodeBody(value: unknown, secrets: Secrets | null): unknown {
  if (isSealed(value)) {
    if (!secrets) return REDACTED;
    return secrets.open(value);
  }
  if (Array.isArray(value)) return value.map((v) => decodeBody(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeBody(v, secrets);
    return out;
  }
  return value;
}
