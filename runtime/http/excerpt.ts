import { redact, REDACTED, SECRET_KEY } from '../../engine/trace/redact.ts';
import { EXCERPT_BYTES } from '../records/records.ts';

/**
 * The start of a refused body, as GET /events shows it: redacted by the rules of traces
 * (engine/run/redact.ts: secret-looking keys and known secret values masked), at most
 * EXCERPT_BYTES of UTF-8, control characters written as `\u001b`, so it is safe to keep in any
 * store and to print. A body that parsed is redacted as JSON; one that did not (the refusal may
 * be that it is not JSON) is redacted as text: `"password": "..."` and `token=...` pairs.
 */

export interface SeenBody {
  /** The raw bytes, once read. */
  bytes?: Buffer;
  /** The parsed document, once parsed. */
  body?: unknown;
}

export function bodyExcerpt(seen: SeenBody, secrets: readonly string[]): string | null {
  let text: string;
  if (seen.body !== undefined) text = JSON.stringify(redact(seen.body, secrets)) ?? '';
  else if (seen.bytes !== undefined) text = redactText(seen.bytes.subarray(0, 4 * EXCERPT_BYTES).toString('utf8'), secrets);
  else return null;
  return cutBytes(printable(text), EXCERPT_BYTES);
}

const JSON_PAIR = /"((?:[^"\\]|\\.){1,128})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]*)/g;
const FORM_PAIR = /(^|[&?;\s])([^=&\s]{1,128})=([^&\s]*)/g;

/** Masks secret-looking pairs and known secret values in a text that is not (or not only) JSON. */
function redactText(text: string, secrets: readonly string[]): string {
  let out = text
    .replace(JSON_PAIR, (pair, key: string, colon: string) => (SECRET_KEY.test(key) ? `"${key}"${colon}"${REDACTED}"` : pair))
    .replace(FORM_PAIR, (pair, lead: string, key: string) => (SECRET_KEY.test(key) ? `${lead}${key}=${REDACTED}` : pair));
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** Control characters (but tab, newline, return) and unpaired surrogates as escapes: any store keeps the text. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** At most `max` bytes of UTF-8, never splitting a character; a cut text ends with …. */
function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const budget = max - Buffer.byteLength('…', 'utf8');
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end)}…`;
}
