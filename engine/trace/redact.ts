import { scrubText } from './scrub.ts';

/** Keys whose values never reach a trace, a log or an audit row in clear. */
export const SECRET_KEY = /(pass(word|wd|phrase)?|secret|token|api[_-]?key|authorization|cookie|private[_-]?key|credential)/i;

export const REDACTED = '[REDACTED]';

/**
 * Returns a deep copy with secret-looking keys, any known secret value and the secrets written
 * inside text (scrub.ts) masked.
 * Bounded: depth beyond 32 and strings beyond 8 KiB are cut, so a huge output cannot bloat a trace.
 */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 32) return '[TOO DEEP]';
  if (typeof value === 'string') return redactString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redact(v, secrets, depth + 1);
    Object.defineProperty(out, k, { value: safe, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function redactString(s: string, secrets: readonly string[]): string {
  // Cut first: the scrub then reads at most 8 KiB (and a cut never leaves half a secret behind it).
  let out = scrubText(s.length > 8192 + 1024 ? s.slice(0, 8192 + 1024) : s, REDACTED);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return s.length > 8192 ? `${out.slice(0, 8192)}…[truncated ${s.length - 8192} chars]` : out;
}
