import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/config.ts';
import { parseSecretKey, SecretKey } from '../../runtime/secrets/secret-key.ts';

const BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1));
const HEX = BYTES.toString('hex');
const BASE64 = BYTES.toString('base64');
const OTHER_HEX = Buffer.alloc(32, 0xab).toString('hex');

describe('ENGINE_SECRET_KEY and ENGINE_SECRET_KEY_PREVIOUS', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-secret-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const load = (env: Record<string, string>) => loadConfig({ ENGINE_ROOT: root, ...env }, '/');
  const errorsOf = (env: Record<string, string>): string => {
    const r = load(env);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.errors.join('\n');
  };

  it('is optional: no key and no previous keys by default', () => {
    const r = load({});
    expect(r.ok && r.config).toMatchObject({ secretKey: null, previousSecretKeys: [] });
  });

  it.each([
    ['64 hex characters', HEX],
    ['upper-case hex', HEX.toUpperCase()],
    ['base64', BASE64],
    ['base64 without padding', BASE64.replace(/=+$/, '')],
    ['base64url', BYTES.toString('base64url')],
    ['hex with spaces around it', `  ${HEX}\n`],
  ])('reads %s', (_what, value) => {
    const r = load({ ENGINE_SECRET_KEY: value });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.config.secretKey?.bytes()).toEqual(BYTES);
    expect(r.config.secretKey?.kid).toBe(new SecretKey(BYTES).kid);
  });

  it('reads previous keys, comma separated, in order', () => {
    const r = load({ ENGINE_SECRET_KEY: HEX, ENGINE_SECRET_KEY_PREVIOUS: `${OTHER_HEX}, ${BASE64}` });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.config.previousSecretKeys.map((k) => k.bytes().toString('hex'))).toEqual([OTHER_HEX, HEX]);
  });

  it.each([
    ['too short', HEX.slice(0, 62)],
    ['too long', `${HEX}00`],
    ['not hex nor base64', `${HEX.slice(0, 63)}g`],
    ['base64 of 31 bytes', BYTES.subarray(0, 31).toString('base64')],
    ['base64 of 33 bytes', Buffer.concat([BYTES, Buffer.from([1])]).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses a key %s, naming the variable and never showing the value', (_what, value) => {
    const errors = errorsOf({ ENGINE_SECRET_KEY: value });
    expect(errors).toContain('ENGINE_SECRET_KEY: expected 64 hex characters or the base64 of 32 bytes');
    expect(errors).not.toContain(value.trim());
  });

  it('refuses a bad previous key by its position, and two keys in ENGINE_SECRET_KEY', () => {
    const errors = errorsOf({ ENGINE_SECRET_KEY_PREVIOUS: `${OTHER_HEX},not-a-key-at-all` });
    expect(errors).toContain('ENGINE_SECRET_KEY_PREVIOUS (key 2 of 2): expected 64 hex characters');
    expect(errors).not.toContain('not-a-key-at-all');
    expect(errors).not.toContain(OTHER_HEX);
    const two = errorsOf({ ENGINE_SECRET_KEY: `${HEX},${OTHER_HEX}` });
    expect(two).toContain('ENGINE_SECRET_KEY: holds one key');
    expect(two).not.toContain(HEX);
  });

  it('never prints a key held by the configuration', () => {
    const r = load({ ENGINE_SECRET_KEY: HEX, ENGINE_SECRET_KEY_PREVIOUS: OTHER_HEX });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const printed = JSON.stringify(r.config);
    expect(printed).not.toContain(HEX);
    expect(printed).not.toContain(OTHER_HEX);
    expect(printed).toContain(`SecretKey(${r.config.secretKey!.kid})`);
  });

  it('parseSecretKey is strict: no characters skipped, no other lengths', () => {
    expect(parseSecretKey(HEX)?.bytes()).toEqual(BYTES);
    expect(parseSecretKey(`${BASE64.slice(0, 20)}!${BASE64.slice(21)}`)).toBeNull();
    expect(parseSecretKey('')).toBeNull();
  });
});
