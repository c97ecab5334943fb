import { describe, expect, it } from 'vitest';
import { isSealed } from '../../engine/ports/secrets.ts';
import { asPlainJson, decodeBody, encodeBody } from '../../runtime/driver/journal-codec.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { AesGcmSecrets } from '../../runtime/secrets/aes-gcm-secrets.ts';

const TOKEN = 'glpi-app-token-5f2c9a';

describe('journal bodies: plain JSON, configured secrets sealed', () => {
  const clock = new ManualClock(Date.parse('2026-11-21T23:04:00Z'));
  const secrets = new AesGcmSecrets({ key: new Uint8Array(32).fill(7), clock });

  it('seals every string that carries a configured secret, and opens it back exactly', () => {
    const body = { effect: { request: { kind: 'tool.call', args: { header: `Bearer ${TOKEN}`, ticket: 42, note: undefined } } } };
    const encoded = encodeBody(body, [TOKEN], secrets) as { effect: { request: { args: Record<string, unknown> } } };
    expect(JSON.stringify(encoded)).not.toContain(TOKEN);
    expect(isSealed(encoded.effect.request.args['header'])).toBe(true);
    expect(encoded.effect.request.args['ticket']).toBe(42);
    expect('note' in encoded.effect.request.args).toBe(false);
    expect(decodeBody(encoded, secrets)).toEqual({ effect: { request: { kind: 'tool.call', args: { header: `Bearer ${TOKEN}`, ticket: 42 } } } });
  });

  it('without a Secrets port the secret is masked, never kept in clear', () => {
    expect(encodeBody({ s: `x ${TOKEN} y` }, [TOKEN], null)).toEqual({ s: '[REDACTED]' });
  });

  it('a sealed secret past its time does not open: the run cannot silently use a stale secret', () => {
    const encoded = encodeBody({ s: TOKEN }, [TOKEN], secrets);
    clock.advance(25 * 3_600_000);
    expect(() => decodeBody(encoded, secrets)).toThrow(expect.objectContaining({ code: 'SECRET_EXPIRED' }));
  });
});

describe('asPlainJson: a value as the journal reads it back', () => {
  it('is the value itself when it is plain JSON already, and a JSON copy otherwise', () => {
    const plain = { a: [1, 'two', null, { b: true }] };
    expect(asPlainJson(plain)).toBe(plain);
    expect(asPlainJson({ a: 1, b: undefined, c: [undefined] })).toEqual({ a: 1, c: [null] });
    expect(asPlainJson({ when: new Date('2026-11-21T23:04:00Z') })).toEqual({ when: '2026-11-21T23:04:00.000Z' });
    expect(asPlainJson({ n: Number.NaN })).toEqual({ n: null });
    expect(asPlainJson(undefined)).toBeNull();
  });
});
