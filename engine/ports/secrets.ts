/**
 * Secrets a durable run must keep (a token an effect needs after a restart) are journaled sealed,
 * never in clear: a journal is read back by recovery, replay and people.
 */

/** A sealed secret as stored in a journal: never the value in clear. */
export interface SealedSecret {
  /** base64url of iv | ciphertext | tag. */
  $sealed: string;
  /** The id of the key it was sealed under. */
  kid: string;
  /** ISO expiry; authenticated with the ciphertext, so it cannot be extended by editing it. */
  exp: string;
}

export interface Secrets {
  seal(value: string, ttlMs: number): SealedSecret;
  /** The clear value; throws EngineError SECRET_EXPIRED after exp (by the injected clock), SECRET_INVALID when tampered or sealed under an unknown key. */
  open(sealed: SealedSecret): string;
}

/** Exactly the shape of a SealedSecret (three strings, no other key), so a journal body can be scanned for them. */
export function isSealed(v: unknown): v is SealedSecret {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  return keys.length === 3 && typeof o['$sealed'] === 'string' && typeof o['kid'] === 'string' && typeof o['exp'] === 'string';
}
