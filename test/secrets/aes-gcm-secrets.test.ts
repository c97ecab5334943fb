import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, type SealedSecret } from '../../engine/ports/secrets.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { AesGcmSecrets } from '../../runtime/secrets/aes-gcm-secrets.ts';
import { SecretKey } from '../../runtime/secrets/secret-key.ts';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 9);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function secrets(over: { key?: Uint8Array; previous?: Uint8Array[]; clock?: ManualClock } = {}): { s: AesGcmSecrets; clock: ManualClock } {
  const clock = over.clock ?? new ManualClock(T0);
  return { s: new AesGcmSecrets({ key: over.key ?? KEY, previous: over.previous ?? [], clock }), clock };
}

function code(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('AesGcmSecrets', () => {
  it('opens what it sealed, for any string, and never holds the value in clear', () => {
    const { s } = secrets();
    for (const value of ['', 'hunter2', 'a token with unicode ☕ 🦄 e\u0301 and nul \u0000', 'x'.repeat(100_000)]) {
      const sealed = s.seal(value, 60_000);
      expect(isSealed(sealed)).toBe(true);
      expect(s.open(sealed)).toBe(value);
      if (value.length >= 4) expect(JSON.stringify(sealed)).not.toContain(value);
    }
  });

  it('names the key by the first 8 hex characters of its SHA-256 and puts the expiry in exp', () => {
    const { s } = secrets();
    const sealed = s.seal('v', 90_000);
    expect(sealed.kid).toBe(createHash('sha256').update(KEY).digest('hex').slice(0, 8));
    expect(sealed.exp).toBe(new Date(T0 + 90_000).toISOString());
    expect(Object.keys(sealed).sort()).toEqual(['$sealed', 'exp', 'kid']);
  });

  it('uses a fresh IV per seal: the same value seals differently each time', () => {
    const { s } = secrets();
    const texts = new Set(Array.from({ length: 50 }, () => s.seal('same', 1000).$sealed));
    expect(texts.size).toBe(50);
  });

  it('refuses a change of any character of $sealed with SECRET_INVALID', () => {
    const { s } = secrets();
    const sealed = s.seal('the value', 60_000);
    for (let i = 0; i < sealed.$sealed.length; i++) {
      const original = sealed.$sealed[i]!;
      // Every other character of the alphabet at this position: also those that differ only in
      // the last character's unused bits, which a lenient decoder would map to the same bytes.
      for (const c of ALPHABET) {
        if (c === original) continue;
        const tampered = { ...sealed, $sealed: sealed.$sealed.slice(0, i) + c + sealed.$sealed.slice(i + 1) };
        expect(code(() => s.open(tampered)), `position ${i} -> ${c}`).toBe('SECRET_INVALID');
      }
    }
  });

  it('refuses a flipped bit in any byte, a truncated or extended text, and characters outside base64url', () => {
    const { s } = secrets();
    const sealed = s.seal('the value', 60_000);
    const bytes = Buffer.from(sealed.$sealed, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i]! ^= 0x01;
      expect(code(() => s.open({ ...sealed, $sealed: flipped.toString('base64url') }))).toBe('SECRET_INVALID');
    }
    for (const text of [sealed.$sealed.slice(0, -1), sealed.$sealed.slice(0, 20), `${sealed.$sealed}A`, `${sealed.$sealed}==`, `${sealed.$sealed.slice(0, 10)}+${sealed.$sealed.slice(11)}`, '', ' ']) {
      expect(code(() => s.open({ ...sealed, $sealed: text }))).toBe('SECRET_INVALID');
    }
  });

  it('refuses an edited exp with SECRET_INVALID: later, earlier, or the same time written differently', () => {
    const { s, clock } = secrets();
    const sealed = s.seal('v', 60_000);
    const edits = [new Date(T0 + 3_600_000).toISOString(), new Date(T0 + 1).toISOString(), sealed.exp.replace('.000Z', 'Z'), 'never'];
    for (const exp of edits) expect(code(() => s.open({ ...sealed, exp })), exp).toBe('SECRET_INVALID');
    // Even once the secret has expired, an edit is still a forgery, not an expiry.
    clock.advance(120_000);
    expect(code(() => s.open({ ...sealed, exp: new Date(T0 + 3_600_000).toISOString() }))).toBe('SECRET_INVALID');
  });

  it('expires after its TTL by the injected clock: SECRET_EXPIRED', () => {
    const { s, clock } = secrets();
    const sealed = s.seal('v', 60_000);
    clock.advance(60_000);
    expect(s.open(sealed)).toBe('v'); // at exp, still valid
    clock.advance(1);
    expect(code(() => s.open(sealed))).toBe('SECRET_EXPIRED');
  });

  it('refuses a secret sealed under an unknown key, or another key claiming its id, with SECRET_INVALID', () => {
    const sealed = secrets({ key: OTHER }).s.seal('v', 60_000);
    const { s } = secrets();
    expect(code(() => s.open(sealed))).toBe('SECRET_INVALID');
    const mine = s.seal('v', 60_000);
    expect(code(() => secrets({ key: OTHER }).s.open({ ...sealed, kid: mine.kid }))).toBe('SECRET_INVALID');
    expect(code(() => s.open({ ...sealed, kid: mine.kid }))).toBe('SECRET_INVALID');
  });

  it('rotates: previous keys open what they sealed, the current key seals', () => {
    const clock = new ManualClock(T0);
    const before = new AesGcmSecrets({ key: OTHER, clock }).seal('old', 60_000);
    const rotated = new AesGcmSecrets({ key: KEY, previous: [OTHER], clock });
    expect(rotated.open(before)).toBe('old');
    const after = rotated.seal('new', 60_000);
    expect(after.kid).toBe(new SecretKey(KEY).kid);
    expect(new AesGcmSecrets({ key: KEY, clock }).open(after)).toBe('new');
    // Once the previous key is dropped, what it sealed no longer opens.
    expect(code(() => new AesGcmSecrets({ key: KEY, clock }).open(before))).toBe('SECRET_INVALID');
  });

  it('refuses what is not a sealed secret, and bad keys and TTLs, with coded errors', () => {
    const { s } = secrets();
    const sealed = s.seal('v', 1000);
    for (const bad of [null, 'text', {}, { ...sealed, extra: 1 }, { ...sealed, kid: 1 }]) {
      expect(code(() => s.open(bad as unknown as SealedSecret))).toBe('SECRET_INVALID');
    }
    for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300]) expect(code(() => s.seal('v', ttl)), String(ttl)).toBe('SECRET_TTL_INVALID');
    expect(code(() => new AesGcmSecrets({ key: Buffer.alloc(16), clock: new ManualClock(T0) }))).toBe('SECRET_KEY_INVALID');
    expect(code(() => new AesGcmSecrets({ key: KEY, previous: [randomBytes(31)], clock: new ManualClock(T0) }))).toBe('SECRET_KEY_INVALID');
  });

  it('keeps keys out of JSON and inspect output', async () => {
    const { inspect } = await import('node:util');
    const key = new SecretKey(KEY);
    const hex = KEY.toString('hex');
    expect(JSON.stringify({ key })).not.toContain(hex);
    expect(inspect({ key })).not.toContain(hex);
    expect(`${key}`).toBe(`SecretKey(${key.kid})`);
  });
});
