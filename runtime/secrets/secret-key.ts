import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { EngineError } from '../../engine/errors.ts';

/** AES-256: the key is 32 bytes. */
const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * A 32-byte key that never prints: its JSON, inspect and string forms show only its id, so a
 * config object logged or diffed by a failing test does not leak it.
 */
export class SecretKey {
  readonly #bytes: Buffer;
  /** First 8 hex characters of the key's SHA-256: names the key in a sealed secret, reveals nothing usable. */
  readonly kid: string;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) throw new EngineError('SECRET_KEY_INVALID', `a secret key is ${KEY_BYTES} bytes, got ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.kid = createHash('sha256').update(this.#bytes).digest('hex').slice(0, 8);
  }

  /** A copy of the key material. */
  bytes(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return `SecretKey(${this.kid})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * 64 hex characters, or the base64 (or base64url) of 32 bytes; null when the text is neither.
 * Strict: Buffer.from silently skips characters outside the alphabet, so the text is matched first.
 */
export function parseSecretKey(text: string): SecretKey | null {
  const t = text.trim();
  if (HEX.test(t)) return new SecretKey(Buffer.from(t, 'hex'));
  if (!BASE64.test(t)) return null;
  const bytes = Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  return bytes.length === KEY_BYTES ? new SecretKey(bytes) : null;
}

/** What a key must look like, for error messages (which never show the value). */
export const SECRET_KEY_FORMAT = 'expected 64 hex characters or the base64 of 32 bytes (generate one with `openssl rand -hex 32`)';
