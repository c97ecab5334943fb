import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EngineError } from '../../engine/errors.ts';
import type { EngineConfig } from '../config/config.ts';
import { parseSecretKey, SECRET_KEY_FORMAT, SecretKey } from './secret-key.ts';

/** The embedded profile's key file, under DATA_DIR, when ENGINE_SECRET_KEY is not set. */
export const SECRET_KEY_FILE = 'secret.key';

export interface LoadedSecretKeys {
  current: SecretKey;
  previous: SecretKey[];
  /** Where the current key came from: the environment, an existing key file, or one made now. */
  origin: 'environment' | 'file' | 'generated';
}

type KeyConfig = Pick<EngineConfig, 'secretKey' | 'previousSecretKeys' | 'redisUrl' | 'databaseUrl'>;

/**
 * The keys sealing secrets, at start. ENGINE_SECRET_KEY wins. Without it the distributed profile
 * refuses (SECRET_KEY_MISSING): its processes run on several hosts and must share one key, which
 * a file made by one of them cannot be. The embedded profile reads `dataDir/secret.key`, creating
 * it (mode 0600) with a new random key on first start, and says so in the log: that file must be
 * backed up with the data, or what was sealed under it cannot be opened.
 */
export function loadSecretKey(config: KeyConfig, dataDir: string, log?: { info(fields: object, message: string): void }): LoadedSecretKeys {
  const previous = config.previousSecretKeys;
  if (config.secretKey !== null) return { current: config.secretKey, previous, origin: 'environment' };
  if (config.redisUrl !== null && config.databaseUrl !== null) {
    throw new EngineError(
      'SECRET_KEY_MISSING',
      `ENGINE_SECRET_KEY is not set: the distributed profile needs it, the same on every engine serve and engine worker process (${SECRET_KEY_FORMAT})`,
    );
  }
  const file = join(dataDir, SECRET_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing !== null) return { current: existing, previous, origin: 'file' };
  const made = createKeyFile(file);
  if (made.created) {
    log?.info({ file, kid: made.key.kid }, `ENGINE_SECRET_KEY is not set: generated a secret key in ${file} (mode 0600); back it up with the data`);
  }
  return { current: made.key, previous, origin: made.created ? 'generated' : 'file' };
}

/** The key in the file; null when there is no file. Refuses a file others may read, as ssh does. */
function readKeyFile(file: string): SecretKey | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new EngineError(
      'SECRET_KEY_FILE_MODE',
      `${file} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it, or set ENGINE_SECRET_KEY`,
    );
  }
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (key === null) throw new EngineError('SECRET_KEY_FILE_INVALID', `${file}: ${SECRET_KEY_FORMAT}; the content is not shown`);
  return key;
}

/**
 * Writes a new key to a temporary file (0600, synced), then links it to its name: link fails when
 * the name exists, so two processes starting at once on a new data dir agree on one key, and no
 * reader ever sees a half-written file.
 */
function createKeyFile(file: string): { key: SecretKey; created: boolean } {
  mkdirSync(dirname(file), { recursive: true });
  const key = new SecretKey(randomBytes(32));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // whatever the umask
    writeSync(fd, `${key.bytes().toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return { key, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const theirs = readKeyFile(file);
    if (theirs === null) throw new EngineError('SECRET_KEY_FILE_INVALID', `${file} appeared and vanished while it was being created`);
    return { key: theirs, created: false };
  } finally {
    unlinkSync(temp);
  }
}
