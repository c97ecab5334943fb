import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { parseDuration } from '../../../engine/expr/index.ts';

/**
 * The SSH inventory: the `hosts:` section of engine.config.yaml. A host is reached only when it
 * is listed here, by its name (the `host` of an event and of `intent.run`), with its pinned host
 * key: an unknown or changed key is refused, there is no trust on first use.
 *
 *   hosts:
 *     - name: web-1
 *       address: 10.0.0.5
 *       user: heal
 *       key_file: /etc/heal/id_ed25519
 *       host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA..."   # ssh-keyscan -t ed25519 10.0.0.5
 */
export interface SshConfig {
  hosts: SshHost[];
}

export interface SshHost {
  name: string;
  address: string;
  port: number;
  user: string;
  /** A private key file (read at each connection, checked at start), or the agent at SSH_AUTH_SOCK. */
  auth: { kind: 'key_file'; path: string; passphrase: string | null } | { kind: 'agent'; socket: string };
  /** The pinned host key: its algorithm and its key blob (the base64 of known_hosts, decoded). */
  hostKey: { type: string; blob: Buffer };
  connectTimeoutMs: number;
  /** Bytes kept of stdout and of stderr each; the rest is read and dropped, with a note. */
  maxOutputBytes: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_SSH_PORT = 22;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

const MAX_CONNECT_TIMEOUT_MS = 5 * 60_000;
const MIN_MAX_OUTPUT = 256;
const MAX_MAX_OUTPUT = 64 * 1024 * 1024;

/** Host key algorithms ssh2 verifies; DSA is refused (OpenSSH dropped it). */
const HOST_KEY_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'] as const;

const KNOWN_KEYS = ['name', 'address', 'port', 'user', 'key_file', 'key_passphrase_env', 'agent', 'host_key', 'connect_timeout', 'max_output'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/;
// A DNS name, an IPv4 address or an IPv6 address (no brackets): never an option, never a space.
const ADDRESS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type SshConfigOutcome = { ok: true; value: SshConfig } | { ok: false; errors: string[] };

/**
 * Reads the `hosts:` list. Every error names its path (`hosts[1].host_key: ...`); unknown keys
 * and duplicate names are refused, a key file must exist and hold a usable private key, and
 * `agent: true` needs SSH_AUTH_SOCK. `baseDir` resolves a relative key_file (the project root).
 */
export function readSshConfig(raw: unknown, env: Env, options: { baseDir?: string } = {}): SshConfigOutcome {
  const errors: string[] = [];
  const baseDir = options.baseDir ?? process.cwd();
  if (raw === undefined || raw === null) return { ok: true, value: { hosts: [] } };
  if (!Array.isArray(raw)) return { ok: false, errors: ['hosts: expected a list of hosts'] };
  const hosts: SshHost[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, i) => {
    const at = `hosts[${i}]`;
    const host = readHost(item, at, env, baseDir, errors);
    if (host === null) return;
    const folded = host.name.toLowerCase();
    const first = seen.get(folded);
    if (first !== undefined) {
      errors.push(`${at}.name: ${host.name} is already the name of hosts[${first}] (names are compared without case)`);
      return;
    }
    seen.set(folded, i);
    hosts.push(host);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { hosts } };
}

function readHost(item: unknown, at: string, env: Env, baseDir: string, errors: string[]): SshHost | null {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    errors.push(`${at}: expected a mapping with name, address, user, host_key and key_file or agent`);
    return null;
  }
  const o = item as Record<string, unknown>;
  const before = errors.length;
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.includes(key)) errors.push(`${at}.${key}: unknown key (expected ${KNOWN_KEYS.join(', ')})`);
  }
  const name = text(o, 'name', at, errors, NAME, 'a host name of letters, digits, ".", "_", "-" (at most 128), as events name it');
  const address = text(o, 'address', at, errors, ADDRESS, 'a DNS name or an IP address');
  const user = text(o, 'user', at, errors, USER, 'a user name');

  let port = DEFAULT_SSH_PORT;
  if (o['port'] !== undefined) {
    const p = o['port'];
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) errors.push(`${at}.port: expected an integer from 1 to 65535, got ${show(p)}`);
    else port = p;
  }

  let auth: SshHost['auth'] | null = null;
  const hasKeyFile = o['key_file'] !== undefined;
  const hasAgent = o['agent'] !== undefined;
  if (hasKeyFile && hasAgent) errors.push(`${at}: key_file and agent are exclusive: give one`);
  else if (!hasKeyFile && !hasAgent) errors.push(`${at}: needs key_file (a private key file) or agent: true (the agent at SSH_AUTH_SOCK)`);
  else if (hasAgent) {
    if (o['agent'] !== true) errors.push(`${at}.agent: expected true (or leave it out and give key_file), got ${show(o['agent'])}`);
    else if (o['key_passphrase_env'] !== undefined) errors.push(`${at}.key_passphrase_env: only with key_file`);
    else {
      const socket = env['SSH_AUTH_SOCK']?.trim();
      if (!socket) errors.push(`${at}.agent: the environment variable SSH_AUTH_SOCK is not set`);
      else auth = { kind: 'agent', socket };
    }
  } else {
    auth = readKeyFile(o, at, env, baseDir, errors);
  }

  const hostKey = readHostKey(o['host_key'], `${at}.host_key`, errors);

  let connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  if (o['connect_timeout'] !== undefined) {
    const v = o['connect_timeout'];
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null || ms <= 0 || ms > MAX_CONNECT_TIMEOUT_MS) errors.push(`${at}.connect_timeout: expected a duration from 1ms to 5m such as 10s, got ${show(v)}`);
    else connectTimeoutMs = ms;
  }

  let maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
  if (o['max_output'] !== undefined) {
    const v = o['max_output'];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_MAX_OUTPUT || v > MAX_MAX_OUTPUT) {
      errors.push(`${at}.max_output: expected a number of bytes from ${MIN_MAX_OUTPUT} to ${MAX_MAX_OUTPUT}, got ${show(v)}`);
    } else maxOutputBytes = v;
  }

  if (errors.length > before || name === null || address === null || user === null || auth === null || hostKey === null) return null;
  return { name, address, port, user, auth, hostKey, connectTimeoutMs, maxOutputBytes };
}

function readKeyFile(o: Record<string, unknown>, at: string, env: Env, baseDir: string, errors: string[]): SshHost['auth'] | null {
  const raw = o['key_file'];
  if (typeof raw !== 'string' || raw.trim() === '') {
    errors.push(`${at}.key_file: expected the path of a private key file, got ${show(raw)}`);
    return null;
  }
  let passphrase: string | null = null;
  if (o['key_passphrase_env'] !== undefined) {
    const envName = o['key_passphrase_env'];
    const value = typeof envName === 'string' ? env[envName] : undefined;
    if (typeof envName !== 'string' || envName === '') {
      errors.push(`${at}.key_passphrase_env: expected the name of an environment variable`);
      return null;
    }
    if (!value) {
      errors.push(`${at}.key_passphrase_env: the environment variable ${envName} is not set`);
      return null;
    }
    passphrase = value;
  }
  const path = isAbsolute(raw) ? raw : resolve(baseDir, raw);
  if (!existsSync(path) || !statSync(path).isFile()) {
    errors.push(`${at}.key_file: no file at ${path}`);
    return null;
  }
  let parsed: ReturnType<typeof ssh2.utils.parseKey>;
  try {
    parsed = ssh2.utils.parseKey(readFileSync(path), passphrase ?? undefined);
  } catch (e) {
    errors.push(`${at}.key_file: ${path} cannot be read: ${(e as Error).message}`);
    return null;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const why = key instanceof Error ? key.message : 'no key in it';
    errors.push(`${at}.key_file: ${path} is not a usable private key (${why})${passphrase === null && /encrypt|passphrase/i.test(why) ? '; give key_passphrase_env' : ''}`);
    return null;
  }
  if (!key.isPrivateKey()) {
    errors.push(`${at}.key_file: ${path} holds a public key; give the private key`);
    return null;
  }
  return { kind: 'key_file', path, passphrase };
}

/**
 * `host_key: "ssh-ed25519 AAAA..."` as known_hosts and `ssh-keyscan` write it (a leading host
 * field and a trailing comment are allowed). The blob must hold a key of the type it says.
 */
function readHostKey(v: unknown, at: string, errors: string[]): SshHost['hostKey'] | null {
  if (v === undefined) {
    errors.push(`${at}: required: the host's public key, pinned, as ssh-keyscan prints it ("ssh-ed25519 AAAA...")`);
    return null;
  }
  if (typeof v !== 'string') {
    errors.push(`${at}: expected a text such as "ssh-ed25519 AAAA...", got ${show(v)}`);
    return null;
  }
  const fields = v.trim().split(/\s+/);
  const known = (t: string | undefined) => t !== undefined && (HOST_KEY_TYPES as readonly string[]).includes(t);
  const start = known(fields[0]) ? 0 : known(fields[1]) ? 1 : -1;
  if (start === -1) {
    errors.push(`${at}: expected "TYPE BASE64" with TYPE one of ${HOST_KEY_TYPES.join(', ')}, got ${show(v.slice(0, 40))}`);
    return null;
  }
  const type = fields[start]!;
  const b64 = fields[start + 1] ?? '';
  if (!BASE64.test(b64)) {
    errors.push(`${at}: the key after ${type} is not base64`);
    return null;
  }
  const blob = Buffer.from(b64, 'base64');
  const parsed = ssh2.utils.parseKey(`${type} ${b64}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined || key.type !== type || !key.getPublicSSH().equals(blob)) {
    errors.push(`${at}: not a valid ${type} public key${key instanceof Error ? ` (${key.message})` : ''}`);
    return null;
  }
  return { type, blob };
}

function text(o: Record<string, unknown>, key: string, at: string, errors: string[], pattern: RegExp, what: string): string | null {
  const v = o[key];
  if (v === undefined) {
    errors.push(`${at}.${key}: required: ${what}`);
    return null;
  }
  if (typeof v !== 'string' || !pattern.test(v)) {
    errors.push(`${at}.${key}: expected ${what}, got ${show(v)}`);
    return null;
  }
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v;
}

/** One line for the start-up log: `ssh: 2 hosts (web-1 10.0.0.5:22 as heal, db-1 [fd00::6]:2222 as heal via agent)`. */
export function describeSshConfig(config: SshConfig): string {
  if (config.hosts.length === 0) return 'ssh: no hosts';
  const one = (h: SshHost) => {
    const address = h.address.includes(':') ? `[${h.address}]` : h.address;
    return `${h.name} ${address}:${h.port} as ${h.user}${h.auth.kind === 'agent' ? ' via agent' : ''}`;
  };
  const n = config.hosts.length;
  return `ssh: ${n} host${n === 1 ? '' : 's'} (${config.hosts.map(one).join(', ')})`;
}
