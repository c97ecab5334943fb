import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EngineError } from '../../../engine/errors.ts';
import type { HttpAnswer, HttpProbe, HttpRequest } from '../../../engine/ports/http.ts';
import { literalAddress, type ProbeConfig, type ProbeTarget } from './config.ts';

/** Resolves a host name to its addresses (node:dns lookup by default; tests give their own). */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface FetchProbeDeps {
  lookup?: Lookup;
  /** Milliseconds, for durationMs: performance.now by default. */
  now?: () => number;
}

/** Private, loopback, link-local, unspecified, CGNAT, benchmark, multicast and reserved ranges. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true; // not an address: never trusted
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:10.0.0.1) and NAT64 (64:ff9b::10.0.0.1) addresses are judged by their IPv4 part.
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return PRIVATE.check(address, 'ipv6');
}

const defaultLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function refused(code: string, message: string): EngineError {
  return new EngineError(code, message, { retryable: false, details: { started: false } });
}

/**
 * The HTTP probe of `http.request` over Node's fetch: only URLs under a configured base URL (same
 * scheme, host, port, and path prefix on a segment boundary); the base's headers added (never
 * logged or returned); the host's addresses checked before the request (a private, loopback or
 * link-local address only when the base URL names one literally, names `localhost`, or says
 * `allow_private: true`); a redirect answered as its status, never followed; the time bounded by
 * the request's and the base's timeout and the caller's signal; the body read up to maxBytes.
 *
 * Caveat (DNS rebinding): the address is checked on a lookup of its own, and fetch resolves the
 * name again to connect; a hostile DNS server answering differently the second time gets past the
 * check. Name hosts whose DNS you trust, give an address literal, or filter egress as well.
 */
export class FetchProbe implements HttpProbe {
  readonly #probes: ProbeTarget[];
  readonly #lookup: Lookup;
  readonly #now: () => number;

  constructor(config: ProbeConfig, deps: FetchProbeDeps = {}) {
    this.#probes = config.probes;
    this.#lookup = deps.lookup ?? defaultLookup;
    this.#now = deps.now ?? (() => performance.now());
  }

  /** One line for the start-up log: the bases and the names of their headers, never their values. */
  describe(): string {
    if (this.#probes.length === 0) return 'http probe: no base URL configured: every http.request is refused (PROBE_URL_NOT_ALLOWED)';
    return `http probe: ${this.#probes
      .map((p) => `${p.name} → ${p.base.href}${Object.keys(p.headers).length ? ` (headers ${Object.keys(p.headers).join(', ')})` : ''}, ${p.timeoutMs} ms, ${p.maxBytes} bytes${p.allowPrivate ? ', private addresses allowed' : ''}`)
      .join('; ')}`;
  }

  /** The configured probe whose base URL holds `url`, or null. */
  match(url: URL): ProbeTarget | null {
    if (url.username !== '' || url.password !== '') return null;
    for (const p of this.#probes) {
      if (url.protocol !== p.base.protocol || url.hostname !== p.base.hostname || url.port !== p.base.port) continue;
      const base = p.base.pathname;
      if (base === '/' || url.pathname === base || url.pathname.startsWith(`${base}/`)) return p;
    }
    return null;
  }

  async request(req: HttpRequest): Promise<HttpAnswer> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw refused('PROBE_URL_NOT_ALLOWED', 'http probe: not a URL; nothing was sent');
    }
    const probe = this.match(url);
    if (probe === null) {
      throw refused('PROBE_URL_NOT_ALLOWED', `http probe: ${url.origin}${url.pathname} is under no configured base URL; nothing was sent`);
    }
    const started = this.#now();
    const timeoutMs = Math.max(1, Math.min(req.timeoutMs, probe.timeoutMs));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const timedOut = (): EngineError =>
      new EngineError('PROBE_TIMEOUT', `http probe ${probe.name}: no answer within ${timeoutMs} ms`, { retryable: true, details: { started: true } });

    await this.#checkAddress(probe, url, signal);
    if (signal.aborted) throw req.signal?.aborted ? req.signal.reason : timedOut();

    // The configured headers win over the request's of the same name.
    const configured = new Set(Object.keys(probe.headers).map((h) => h.toLowerCase()));
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(req.headers)) if (!configured.has(h.toLowerCase())) headers[h] = v;
    Object.assign(headers, probe.headers);

    const maxBytes = Math.max(0, Math.min(req.maxBytes, probe.maxBytes));
    try {
      const res = await fetch(url, { method: req.method, headers, body: req.method === 'POST' ? req.body : null, redirect: 'manual', signal });
      const body = await readCapped(res, maxBytes);
      return { status: res.status, body, durationMs: Math.max(0, Math.round(this.#now() - started)) };
    } catch (e) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (timeout.aborted) throw timedOut();
      throw new EngineError('HTTP_UNREACHABLE', `http probe ${probe.name}: ${causeOf(e)}`, { retryable: true, details: { started: true } });
    }
  }

  async #checkAddress(probe: ProbeTarget, url: URL, signal: AbortSignal): Promise<void> {
    // The URL's host is the base URL's: an address literal there is what the configuration asked for.
    if (literalAddress(url) !== null || probe.allowPrivate) return;
    let addresses: { address: string }[];
    try {
      addresses = await Promise.race([
        this.#lookup(url.hostname),
        new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      ]);
    } catch (e) {
      if (signal.aborted) return; // the caller reports the timeout
      throw new EngineError('HTTP_UNREACHABLE', `http probe ${probe.name}: cannot resolve ${url.hostname}: ${causeOf(e)}`, { retryable: true, details: { started: false } });
    }
    // `localhost` (RFC 6761) names the loopback literally: it may resolve to loopback, nothing else private.
    const localhost = url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
    const bad = addresses.filter((a) => isPrivateAddress(a.address) && !(localhost && isLoopback(a.address)));
    if (addresses.length === 0 || bad.length > 0) {
      throw refused(
        'PROBE_ADDRESS_NOT_ALLOWED',
        `http probe ${probe.name}: ${url.hostname} resolves to ${bad.length > 0 ? `the private address ${bad[0]!.address}` : 'no address'}, which the configuration does not allow (allow_private: true, or name the address in base_url); nothing was sent`,
      );
    }
  }
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}

/** Reads at most maxBytes of the body, then stops reading (the rest is never downloaded past what is buffered). */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      const part = value.byteLength > room ? value.subarray(0, room) : value;
      chunks.push(part);
      size += part.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(all);
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}
