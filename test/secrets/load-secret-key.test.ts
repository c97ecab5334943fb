import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { AesGcmSecrets } from '../../runtime/secrets/aes-gcm-secrets.ts';
import { loadSecretKey, SECRET_KEY_FILE } from '../../runtime/secrets/load-secret-key.ts';

const HEX = Buffer.alloc(32, 0x11).toString('hex');
const PREVIOUS_HEX = Buffer.alloc(32, 0x22).toString('hex');
const DISTRIBUTED = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://engine@127.0.0.1:5432/engine' };

describe('loadSecretKey', () => {
  let root: string;
  let dataDir: string;
  let lines: { fields: object; message: string }[];
  const log = { info: (fields: object, message: string) => lines.push({ fields, message }) };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-secret-key-'));
    dataDir = join(root, 'data');
    lines = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function config(env: Record<string, string> = {}): EngineConfig {
    const r = loadConfig({ ENGINE_ROOT: root, ...env }, '/');
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.config;
  }

  it('uses ENGINE_SECRET_KEY when set, in either profile, and writes no file', () => {
    for (const env of [{}, DISTRIBUTED]) {
      const keys = loadSecretKey(config({ ...env, ENGINE_SECRET_KEY: HEX, ENGINE_SECRET_KEY_PREVIOUS: PREVIOUS_HEX }), dataDir, log);
      expect(keys.origin).toBe('environment');
      expect(keys.current.bytes().toString('hex')).toBe(HEX);
      expect(keys.previous.map((k) => k.bytes().toString('hex'))).toEqual([PREVIOUS_HEX]);
    }
    expect(existsSync(join(dataDir, SECRET_KEY_FILE))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('distributed profile: refuses to start without ENGINE_SECRET_KEY, naming it', () => {
    expect(() => loadSecretKey(config(DISTRIBUTED), dataDir, log)).toThrow(
      expect.objectContaining({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining('ENGINE_SECRET_KEY is not set') }),
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('embedded profile: creates DATA_DIR/secret.key with mode 0600 on first start, says so, and reuses it', () => {
    const first = loadSecretKey(config(), dataDir, log);
    const file = join(dataDir, SECRET_KEY_FILE);
    expect(first.origin).toBe('generated');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(lines).toEqual([{ fields: { file, kid: first.current.kid }, message: expect.stringContaining('generated a secret key') }]);
    expect(lines[0]!.message).not.toContain(first.current.bytes().toString('hex'));
    expect(readdirSync(dataDir)).toEqual([SECRET_KEY_FILE]); // no temporary file left behind

    const second = loadSecretKey(config(), dataDir, log);
    expect(second.origin).toBe('file');
    expect(second.current.bytes()).toEqual(first.current.bytes());
    expect(lines).toHaveLength(1);

    // What the first start sealed, the second opens.
    const clock = new ManualClock(0);
    const sealed = new AesGcmSecrets({ key: first.current, clock }).seal('token', 1000);
    expect(new AesGcmSecrets({ key: second.current, clock }).open(sealed)).toBe('token');
  });

  it('embedded profile: keeps previous keys from the environment beside the file key', () => {
    const keys = loadSecretKey(config({ ENGINE_SECRET_KEY_PREVIOUS: PREVIOUS_HEX }), dataDir);
    expect(keys.previous.map((k) => k.bytes().toString('hex'))).toEqual([PREVIOUS_HEX]);
  });

  it('refuses a key file others may read, and one that holds no key, without showing its content', () => {
    loadSecretKey(config(), dataDir);
    const file = join(dataDir, SECRET_KEY_FILE);
    chmodSync(file, 0o644);
    expect(() => loadSecretKey(config(), dataDir)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_FILE_MODE', message: expect.stringContaining('chmod 600') }));
    chmodSync(file, 0o600);
    writeFileSync(file, 'not a key\n');
    expect(() => loadSecretKey(config(), dataDir)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_FILE_INVALID', message: expect.not.stringContaining('not a key') }));
  });
});
