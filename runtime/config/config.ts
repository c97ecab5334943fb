import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { parseDuration } from '../../engine/expr/index.ts';
import { loadYaml } from '../../engine/yaml/load.ts';
import type { HttpLimits } from '../http/deps.ts';
import { parseSecretKey, SECRET_KEY_FORMAT, type SecretKey } from '../secrets/secret-key.ts';

/** Everything `engine serve` and `engine worker` read from the environment (12-factor). */
export interface EngineConfig {
  host: string;
  port: number;
  /** Embedded profile: the folder of the SQLite file. */
  dataDir: string;
  /** Both set: the distributed profile (BullMQ + Redis state, PostgreSQL records). */
  redisUrl: string | null;
  databaseUrl: string | null;
  shadow: boolean;
  logLevel: LogLevel;
  root: string;
  playbooksDir: string;
  intentsDir: string;
  promptsDir: string;
  limits: HttpLimits;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  /** Distributed profile: a run `running` for longer than this is taken as abandoned by a dead worker. */
  runLeaseMs: number;
  /** Distributed profile: how long a worker's hold on a queued job lasts unrenewed; a killed worker's job is taken over after it. */
  queueLockMs: number;
  /** Bearer token for GET /runs, /events, /audit; null leaves them open (bound to 127.0.0.1 by default). */
  readToken: string | null;
  /** Bearer token for approval decisions over HTTP; without it they are taken from loopback only. */
  approveToken: string | null;
  /** Sources from engine.config.yaml (validated by buildSourceTable), secrets resolved from the environment. */
  sources: unknown[];
  /** BullMQ queue name and Redis key prefix of the distributed profile. */
  queueName: string;
  redisPrefix: string;
  /** PostgreSQL schema of the records. */
  databaseSchema: string;
  /**
   * ENGINE_SECRET_KEY: seals the secrets kept in run journals. Null: the embedded profile uses (or
   * creates) DATA_DIR/secret.key, the distributed one refuses to start (see loadSecretKey).
   */
  secretKey: SecretKey | null;
  /** ENGINE_SECRET_KEY_PREVIOUS: keys of earlier rotations, which still open what they sealed. */
  previousSecretKeys: SecretKey[];
  /**
   * The adapter sections of engine.config.yaml as written (hosts: SSH inventory, mcp: tool
   * servers, notifiers:, probes: HTTP probes); each adapter's reader checks its own at start.
   */
  adapters: AdapterSections;
}

/** The sections of engine.config.yaml that configure adapters, besides sources:. */
const ADAPTER_SECTIONS = ['hosts', 'mcp', 'notifiers', 'probes'] as const;
export type AdapterSections = Partial<Record<(typeof ADAPTER_SECTIONS)[number], unknown>>;

export type ConfigOutcome = { ok: true; config: EngineConfig } | { ok: false; errors: string[] };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the environment and the optional engine.config.yaml; every bad value is an error with its name. */
export function loadConfig(env: Env, cwd: string): ConfigOutcome {
  const errors: string[] = [];
  const str = (name: string, fallback: string): string => (env[name] ?? '').trim() || fallback;
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) errors.push(`${name}=${raw}: expected an integer from ${min} to ${max}`);
    return n;
  };
  const duration = (name: string, fallback: string): number => {
    const raw = str(name, fallback);
    const ms = parseDuration(raw);
    if (ms === null) errors.push(`${name}=${raw}: expected a duration such as 30s, 5m, 7d`);
    return ms ?? 0;
  };
  const flag = (name: string): boolean => ['1', 'true', 'yes', 'on'].includes((env[name] ?? '').trim().toLowerCase());
  const url = (name: string): string | null => {
    const raw = env[name]?.trim();
    if (!raw) return null;
    try {
      new URL(raw);
    } catch {
      errors.push(`${name}: not a URL`);
    }
    return raw;
  };

  const logLevel = str('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) errors.push(`LOG_LEVEL=${logLevel}: expected one of ${LOG_LEVELS.join(', ')}`);
  const root = resolve(cwd, str('ENGINE_ROOT', '.'));
  const redisUrl = url('REDIS_URL');
  const databaseUrl = url('DATABASE_URL');
  if ((redisUrl === null) !== (databaseUrl === null)) {
    errors.push('the distributed profile needs both REDIS_URL and DATABASE_URL; set both, or neither for the embedded profile');
  }
  const config: EngineConfig = {
    host: str('HOST', '127.0.0.1'),
    port: int('PORT', 3002, 0, 65535),
    dataDir: resolve(root, str('DATA_DIR', './data')),
    redisUrl,
    databaseUrl,
    shadow: flag('ENGINE_SHADOW'),
    logLevel,
    root,
    playbooksDir: resolve(root, str('PLAYBOOKS_DIR', 'playbooks')),
    intentsDir: resolve(root, str('INTENTS_DIR', 'intents')),
    promptsDir: resolve(root, str('PROMPTS_DIR', 'prompts')),
    limits: {
      bodyBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxDepth: int('BODY_MAX_DEPTH', 32, 2, 256),
    },
    workerConcurrency: int('WORKER_CONCURRENCY', 4, 1, 256),
    shutdownTimeoutMs: duration('SHUTDOWN_TIMEOUT', '30s'),
    runLeaseMs: duration('RUN_LEASE', '15m'),
    queueLockMs: duration('QUEUE_LOCK', '30s'),
    readToken: env['READ_TOKEN']?.trim() || null,
    approveToken: env['APPROVE_TOKEN']?.trim() || null,
    sources: [],
    queueName: str('QUEUE_NAME', 'engine-runs'),
    redisPrefix: str('REDIS_PREFIX', 'engine'),
    databaseSchema: str('DATABASE_SCHEMA', 'engine'),
    secretKey: secretKeys(env, 'ENGINE_SECRET_KEY', errors)[0] ?? null,
    previousSecretKeys: secretKeys(env, 'ENGINE_SECRET_KEY_PREVIOUS', errors),
    adapters: {},
  };
  const file = resolve(root, str('ENGINE_CONFIG', 'engine.config.yaml'));
  config.sources = readSources(file, env, errors, env['ENGINE_CONFIG'] !== undefined);
  config.adapters = readAdapterSections(file);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/**
 * The keys of a comma-separated variable (ENGINE_SECRET_KEY holds one). An error names the
 * variable and the item, never the value.
 */
function secretKeys(env: Env, name: string, errors: string[]): SecretKey[] {
  const items = (env[name] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (name === 'ENGINE_SECRET_KEY' && items.length > 1) {
    errors.push(`${name}: holds one key (earlier keys go in ENGINE_SECRET_KEY_PREVIOUS); the value is not shown`);
    return [];
  }
  const keys: SecretKey[] = [];
  items.forEach((item, i) => {
    const key = parseSecretKey(item);
    const which = items.length > 1 ? ` (key ${i + 1} of ${items.length})` : '';
    if (key === null) errors.push(`${name}${which}: ${SECRET_KEY_FORMAT}; the value is not shown`);
    else keys.push(key);
  });
  return keys;
}

/**
 * `sources:` of engine.config.yaml. Secrets stay out of the file: `auth: { bearer_env: NAME }` and
 * `auth: { hmac: { secret_env: NAME, header } }` read the environment variable NAME.
 */
function readSources(file: string, env: Env, errors: string[], required: boolean, auth: 'resolve' | 'drop' = 'resolve'): unknown[] {
  if (!existsSync(file)) {
    if (required) errors.push(`ENGINE_CONFIG: no file at ${file}`);
    return [];
  }
  const loaded = loadYaml(file, readFileSync(file));
  if (!loaded.ok) {
    errors.push(...loaded.diagnostics.map(formatDiagnostic));
    return [];
  }
  const doc = loaded.value as { sources?: unknown } | null;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    errors.push(`${file}: expected a mapping with a sources: list`);
    return [];
  }
  const known: readonly string[] = ['sources', ...ADAPTER_SECTIONS];
  const extra = Object.keys(doc).filter((k) => !known.includes(k));
  if (extra.length > 0) errors.push(`${file}: unknown key(s) ${extra.join(', ')} (expected ${known.join(', ')})`);
  if (doc.sources === undefined) return [];
  if (!Array.isArray(doc.sources)) {
    errors.push(`${file}: sources must be a list`);
    return [];
  }
  if (auth === 'drop') return doc.sources.map((s) => (s !== null && typeof s === 'object' && !Array.isArray(s) ? { ...s, auth: null } : s));
  return doc.sources.map((s, i) => resolveSecrets(s, env, `${file}: sources[${i}]`, errors));
}

/** The adapter sections as written; a file that does not load was reported by readSources. */
function readAdapterSections(file: string): AdapterSections {
  if (!existsSync(file)) return {};
  const loaded = loadYaml(file, readFileSync(file));
  if (!loaded.ok || loaded.value === null || typeof loaded.value !== 'object' || Array.isArray(loaded.value)) return {};
  const doc = loaded.value as Record<string, unknown>;
  const out: AdapterSections = {};
  for (const name of ADAPTER_SECTIONS) if (doc[name] !== undefined) out[name] = doc[name];
  return out;
}

/**
 * The sources of engine.config.yaml without their authentication, for `engine dry-run` and
 * `engine test`: they normalize bodies as the server would, and need no secret to do it.
 */
export function readSourcesOffline(env: Env, cwd: string): { sources: unknown[]; errors: string[] } {
  const errors: string[] = [];
  const root = resolve(cwd, (env['ENGINE_ROOT'] ?? '').trim() || '.');
  const file = resolve(root, (env['ENGINE_CONFIG'] ?? '').trim() || 'engine.config.yaml');
  return { sources: readSources(file, env, errors, env['ENGINE_CONFIG'] !== undefined, 'drop'), errors };
}

function resolveSecrets(source: unknown, env: Env, at: string, errors: string[]): unknown {
  if (source === null || typeof source !== 'object' || !('auth' in source)) return source;
  const auth = (source as { auth: unknown }).auth as Record<string, unknown> | null;
  if (auth === null || typeof auth !== 'object') return source;
  const read = (name: unknown): string => {
    const value = typeof name === 'string' ? env[name] : undefined;
    if (!value) errors.push(`${at}.auth: environment variable ${String(name)} is not set`);
    return value ?? '';
  };
  if ('bearer_env' in auth) return { ...source, auth: { bearer: read(auth['bearer_env']) } };
  const hmac = auth['hmac'] as Record<string, unknown> | undefined;
  if (hmac && typeof hmac === 'object' && 'secret_env' in hmac) {
    return { ...source, auth: { hmac: { secret: read(hmac['secret_env']), header: hmac['header'] } } };
  }
  return source;
}
