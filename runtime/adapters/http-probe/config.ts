import { isIP } from 'node:net';
import { parseDuration } from '../../../engine/expr/index.ts';

/**
 * The `probes:` section of engine.config.yaml (docs/probes.md):
 *
 *   probes:
 *     glpi:
 *       base_url: https://glpi.example.org/apirest.php
 *       headers_env: { App-Token: GLPI_APP_TOKEN, Authorization: GLPI_USER_TOKEN }
 *       allow_private: false
 *       timeout: 5s
 *       max_bytes: 65536
 *
 * Header values are secrets: they come only from the environment, and no error shows them.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface ProbeTarget {
  name: string;
  /** Normalized: no user info, query or fragment; the path without a trailing slash. */
  base: URL;
  /** Added to every request under this base (they replace a request's header of the same name). */
  headers: Record<string, string>;
  /** Let the host resolve to a private, loopback or link-local address. */
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export interface ProbeConfig {
  probes: ProbeTarget[];
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** RFC 9110 token. */
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'keep-alive', 'proxy-authorization', 'expect']);
const MAX_TIMEOUT_MS = 60_000;
const MAX_BYTES = 16 * 1024 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readProbeConfig(raw: unknown, env: Env, at = 'probes'): { ok: true; value: ProbeConfig } | { ok: false; errors: string[] } {
  if (raw === undefined || raw === null) return { ok: true, value: { probes: [] } };
  if (!isObj(raw)) return { ok: false, errors: [`${at}: expected a mapping of probe names to { base_url, headers_env, ... }`] };
  const errors: string[] = [];
  const probes: ProbeTarget[] = [];
  for (const [name, p] of Object.entries(raw)) {
    const path = `${at}.${name}`;
    if (!NAME.test(name)) {
      errors.push(`${path}: a probe name is letters, digits, - and _ (at most 64)`);
      continue;
    }
    if (!isObj(p)) {
      errors.push(`${path}: expected a mapping with base_url:`);
      continue;
    }
    const before = errors.length;
    const extra = Object.keys(p).filter((k) => !['base_url', 'headers_env', 'allow_private', 'timeout', 'max_bytes'].includes(k));
    if (extra.length > 0) errors.push(`${path}: unknown key(s) ${extra.join(', ')} (expected base_url, headers_env, allow_private, timeout, max_bytes)`);

    const base = readBase(p['base_url'], `${path}.base_url`, errors);
    const headers: Record<string, string> = {};
    const h = p['headers_env'];
    if (h !== undefined) {
      if (!isObj(h)) errors.push(`${path}.headers_env: expected a mapping of header names to environment variable names`);
      else {
        const seen = new Set<string>();
        for (const [header, variable] of Object.entries(h)) {
          const hp = `${path}.headers_env.${header}`;
          if (!HEADER.test(header) || FORBIDDEN_HEADERS.has(header.toLowerCase())) errors.push(`${hp}: not a header the probe may set`);
          else if (seen.has(header.toLowerCase())) errors.push(`${hp}: named twice`);
          seen.add(header.toLowerCase());
          if (typeof variable !== 'string' || !ENV_NAME.test(variable)) errors.push(`${hp}: expected the name of an environment variable (A-Z, 0-9, _)`);
          else {
            const value = env[variable];
            if (value === undefined || value.trim() === '') errors.push(`${hp}: environment variable ${variable} is not set`);
            else if (/[\r\n\0]/.test(value)) errors.push(`${hp}: the value of ${variable} holds a line break (the value is not shown)`);
            else headers[header] = value.trim();
          }
        }
      }
    }
    const allowPrivate = p['allow_private'] ?? false;
    if (typeof allowPrivate !== 'boolean') errors.push(`${path}.allow_private: expected true or false`);
    const timeoutText = p['timeout'] ?? '5s';
    const timeoutMs = typeof timeoutText === 'string' ? parseDuration(timeoutText) : null;
    if (timeoutMs === null || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) errors.push(`${path}.timeout: expected a duration from 1ms to 60s`);
    const maxBytes = p['max_bytes'] ?? 65_536;
    if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_BYTES) errors.push(`${path}.max_bytes: expected an integer from 1 to ${MAX_BYTES}`);
    if (errors.length > before || base === null) continue;
    probes.push({ name, base, headers, allowPrivate: allowPrivate as boolean, timeoutMs: timeoutMs!, maxBytes: maxBytes as number });
  }
  for (let i = 0; i < probes.length; i++) {
    for (let j = i + 1; j < probes.length; j++) {
      if (probes[i]!.base.href === probes[j]!.base.href) errors.push(`${at}.${probes[j]!.name}.base_url: the same base URL as ${at}.${probes[i]!.name}`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { probes } };
}

function readBase(v: unknown, path: string, errors: string[]): URL | null {
  if (typeof v !== 'string') {
    errors.push(`${path}: expected an http(s) URL`);
    return null;
  }
  const before = errors.length;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    errors.push(`${path}: not a URL`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') errors.push(`${path}: expected http:// or https://`);
  if (url.username !== '' || url.password !== '') errors.push(`${path}: no credentials in the URL (use headers_env)`);
  if (url.search !== '' || url.hash !== '') errors.push(`${path}: no query or fragment in a base URL`);
  if (errors.length > before) return null;
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

/** The host of a URL as an address literal (IPv6 without brackets), or null when it is a name. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? null : host;
}
