import { describe, expect, it } from 'vitest';
import { isSealed } from '../../engine/ports/secrets.ts';
import { decodeBody, encodeBody } from '../../runtime/driver/journal-codec.ts';
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
