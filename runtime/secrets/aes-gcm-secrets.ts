import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { EngineError } from '../../engine/errors.ts';
import { isSealed, type SealedSecret, type Secrets } from '../../engine/ports/secrets.ts';
import { SecretKey } from './secret-key.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Versions the additional data, so a later format cannot be confused with this one. */
const AAD_PREFIX = 'heal-engine/sealed-secret/v1';

export interface AesGcmSecretsOptions {
  /** Seals, and opens what it sealed. */
  key: SecretKey | Uint8Array;
  /** Keys of earlier rotations: they still open what they sealed, and never seal. */
  previous?: readonly (SecretKey | Uint8Array)[];
  clock: { now(): number };
}

/**
 * Secrets sealed with AES-256-GCM: a random 12-byte IV per seal, a 16-byte tag, and the key id and
 * expiry bound in as additional authenticated data, so editing `exp` (or `kid`) fails the tag.
 * `open` authenticates before it looks at the expiry: a forged or edited secret is always
 * SECRET_INVALID, and only an authentic one past its expiry is SECRET_EXPIRED.
 */
export class AesGcmSecrets implements Secrets {
  readonly #current: { kid: string; key: KeyObject };
  readonly #byKid = new Map<string, KeyObject>();
  readonly #clock: { now(): number };

  constructor(options: AesGcmSecretsOptions) {
    this.#clock = options.clock;
    const keys = [options.key, ...(options.previous ?? [])].map((k) => (k instanceof SecretKey ? k : new SecretKey(k)));
    for (const k of keys) {
      const known = this.#byKid.get(k.kid);
      const bytes = k.bytes();
      // A key listed twice (current also in previous) is harmless; two keys with one id are not.
      if (known !== undefined && !known.equals(createSecretKey(bytes))) {
        throw new EngineError('SECRET_KEY_INVALID', `two different keys have the same key id ${k.kid}; replace one`);
      }
      if (known === undefined) this.#byKid.set(k.kid, createSecretKey(bytes));
    }
    const current = keys[0] as SecretKey;
    this.#current = { kid: current.kid, key: this.#byKid.get(current.kid) as KeyObject };
  }

  seal(value: string, ttlMs: number): SealedSecret {
    if (typeof value !== 'string') throw new EngineError('SECRET_VALUE_INVALID', `a sealed value is a string, got ${typeof value}`);
    const expMs = this.#clock.now() + ttlMs;
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || !Number.isFinite(new Date(expMs).getTime())) {
      throw new EngineError('SECRET_TTL_INVALID', `ttlMs must be a positive integer number of milliseconds, got ${String(ttlMs)}`);
    }
    const exp = new Date(expMs).toISOString();
    const { kid, key } = this.#current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(kid, exp));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { $sealed: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url'), kid, exp };
  }

  open(sealed: SealedSecret): string {
    if (!isSealed(sealed)) throw invalid('not a sealed secret ({$sealed, kid, exp})');
    const key = this.#byKid.get(sealed.kid);
    if (key === undefined) throw invalid(`sealed under an unknown key (kid ${sealed.kid}); was its key dropped from ENGINE_SECRET_KEY_PREVIOUS?`);
    const bytes = decodeCanonical(sealed.$sealed);
    if (bytes === null || bytes.length < IV_BYTES + TAG_BYTES) throw invalid('$sealed is not the base64url of iv|ciphertext|tag');
    let clear: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(sealed.kid, sealed.exp));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      clear = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw invalid('the sealed secret does not authenticate: it was altered, or sealed under another key with this id');
    }
    const expMs = Date.parse(sealed.exp);
    if (Number.isNaN(expMs)) throw invalid('exp is not a time');
    if (this.#clock.now() > expMs) throw new EngineError('SECRET_EXPIRED', `the sealed secret expired at ${sealed.exp}`);
    return clear;
  }
}

function additionalData(kid: string, exp: string): Buffer {
  return Buffer.from(`${AAD_PREFIX}\n${kid}\n${exp}`, 'utf8');
}

/**
 * The bytes of a base64url text, or null unless the text is exactly their encoding: Buffer.from
 * skips foreign characters and ignores the unused low bits of the last one, so without this check
 * some edits of the text would decode to the same bytes and go unnoticed.
 */
function decodeCanonical(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function invalid(why: string): EngineError {
  return new EngineError('SECRET_INVALID', `cannot open the sealed secret: ${why}`);
}
