import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../engine/ports/http.ts';
import { readProbeConfig, type ProbeConfig } from '../../../runtime/adapters/http-probe/config.ts';
import { FetchProbe, isPrivateAddress, type Lookup } from '../../../runtime/adapters/http-probe/fetch-probe.ts';

/**
 * The HTTP probe against a real local server (node:http on an ephemeral port): what reaches the
 * server (method, path, the configured headers), what is refused before any request, and the
 * bounds (redirects, time, size).
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let port: number;
const seen: Seen[] = [];
const BIG = 1024 * 1024;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = (req.url ?? '').split('?')[0];
      if (path === '/apirest.php/initSession') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"session_token":"abc"}');
      } else if (path === '/apirest.php/redirect') {
        res.writeHead(302, { location: 'http://attacker.example/steal' }).end('moved');
      } else if (path === '/apirest.php/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial'); // and never ends: the probe's timeout must
      } else if (path === '/apirest.php/endless') {
        // Writes for as long as someone reads: only a probe that stops reading at its cap returns.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const more = (): void => {
          if (res.destroyed) return;
          if (res.write('y'.repeat(16 * 1024))) setImmediate(more);
          else res.once('drain', more);
        };
        more();
      } else if (path === '/apirest.php/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(BIG));
      } else {
        res.writeHead(404).end('not found');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen.length = 0;
});

const ENV = { GLPI_APP_TOKEN: 'app-token-value', GLPI_USER_TOKEN: 'user_token xyz' };

function config(probes: Record<string, unknown>): ProbeConfig {
  const r = readProbeConfig(probes, ENV);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
}

function glpi(host = '127.0.0.1', extra: Record<string, unknown> = {}): ProbeConfig {
  return config({ glpi: { base_url: `http://${host}:${port}/apirest.php`, headers_env: { 'App-Token': 'GLPI_APP_TOKEN', Authorization: 'GLPI_USER_TOKEN' }, ...extra } });
}

function req(url: string, over: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'GET', url, headers: {}, body: null, timeoutMs: 5000, maxBytes: 65536, ...over };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected a rejection');
}

describe('FetchProbe: what is sent', () => {
  it('POSTs under the base URL with the configured headers, which replace the request\'s own', async () => {
    const ticks = [1000, 1042];
    const probe = new FetchProbe(glpi(), { now: () => ticks.shift() ?? 1042 });
    const answer = await probe.request(req(`http://127.0.0.1:${port}/apirest.php/initSession`, { method: 'POST', headers: { 'content-type': 'application/json', 'app-token': 'from-the-playbook' }, body: '{"a":1}' }));
    expect(answer).toEqual({ status: 200, body: '{"session_token":"abc"}', durationMs: 42 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/apirest.php/initSession', body: '{"a":1}' });
    expect(seen[0]!.headers['app-token']).toBe('app-token-value');
    expect(seen[0]!.headers['authorization']).toBe('user_token xyz');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('the base URL itself, and a query under it, are allowed', async () => {
    const probe = new FetchProbe(glpi());
    expect((await probe.request(req(`http://127.0.0.1:${port}/apirest.php`))).status).toBe(404);
    expect((await probe.request(req(`http://127.0.0.1:${port}/apirest.php/initSession?x=1`))).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/apirest.php', '/apirest.php/initSession?x=1']);
  });

  it('describe() names the bases and header names, never their values', () => {
    const line = new FetchProbe(glpi()).describe();
    expect(line).toContain(`http://127.0.0.1:${port}/apirest.php`);
    expect(line).toContain('App-Token, Authorization');
    expect(line).not.toContain('app-token-value');
    expect(line).not.toContain('xyz');
  });
});

describe('FetchProbe: URLs outside the configured bases are refused without any request', () => {
  const outside = (p: number): string[] => [
    `http://127.0.0.1:${p}/apirest.phpx/initSession`, // the prefix ends on a segment boundary
    `http://127.0.0.1:${p}/other`,
    `http://127.0.0.1:${p}/apirest.php/../admin`, // normalized to /admin
    `http://127.0.0.1:${p + 1}/apirest.php/initSession`, // another port
    `https://127.0.0.1:${p}/apirest.php/initSession`, // another scheme
    `http://127.0.0.2:${p}/apirest.php/initSession`, // another host
    `http://user:pw@127.0.0.1:${p}/apirest.php/initSession`, // credentials in the URL
    'not a url',
  ];
  it.each([0, 1, 2, 3, 4, 5, 6, 7])('case %i', async (i) => {
    const url = outside(port)[i]!;
    const e = await refusal(new FetchProbe(glpi()).request(req(url)));
    expect(e.code).toBe('PROBE_URL_NOT_ALLOWED');
    expect(e.details).toEqual({ started: false });
    expect(seen).toEqual([]);
  });

  it('with no probe configured, everything is refused', async () => {
    const probe = new FetchProbe({ probes: [] });
    expect((await refusal(probe.request(req(`http://127.0.0.1:${port}/apirest.php/initSession`)))).code).toBe('PROBE_URL_NOT_ALLOWED');
    expect(probe.describe()).toContain('no base URL');
    expect(seen).toEqual([]);
  });
});

describe('FetchProbe: bounds', () => {
  it('a redirect is answered as its status and not followed', async () => {
    const answer = await new FetchProbe(glpi()).request(req(`http://127.0.0.1:${port}/apirest.php/redirect`));
    expect(answer.status).toBe(302);
    expect(seen.map((s) => s.url)).toEqual(['/apirest.php/redirect']);
  });

  it('an answer that does not come in time is PROBE_TIMEOUT (the request\'s timeoutMs)', async () => {
    const e = await refusal(new FetchProbe(glpi()).request(req(`http://127.0.0.1:${port}/apirest.php/slow`, { timeoutMs: 150 })));
    expect(e.code).toBe('PROBE_TIMEOUT');
    expect(e.message).toContain('150 ms');
  });

  it("the base's timeout bounds a request that asks for longer", async () => {
    const e = await refusal(new FetchProbe(glpi('127.0.0.1', { timeout: '150ms' })).request(req(`http://127.0.0.1:${port}/apirest.php/slow`, { timeoutMs: 30_000 })));
    expect(e.code).toBe('PROBE_TIMEOUT');
  });

  it("the caller's signal aborts the request with its reason", async () => {
    const control = new AbortController();
    const pending = new FetchProbe(glpi()).request(req(`http://127.0.0.1:${port}/apirest.php/slow`, { signal: control.signal }));
    // Abort once the server has the request (not on a timer).
    while (seen.length === 0) await new Promise((r) => setImmediate(r));
    control.abort(new Error('step deadline'));
    expect((await refusal(pending)).message).toBe('step deadline');
  });

  it('the body is cut at maxBytes (the smaller of the request and the base)', async () => {
    const a = await new FetchProbe(glpi()).request(req(`http://127.0.0.1:${port}/apirest.php/big`, { maxBytes: 1000 }));
    expect(a.status).toBe(200);
    expect(a.body).toBe('x'.repeat(1000));
    const b = await new FetchProbe(glpi('127.0.0.1', { max_bytes: 10 })).request(req(`http://127.0.0.1:${port}/apirest.php/big`, { maxBytes: 1000 }));
    expect(b.body).toBe('x'.repeat(10));
  });

  it('an endless body: the probe stops reading at the cap and answers (well before its timeout)', async () => {
    const a = await new FetchProbe(glpi()).request(req(`http://127.0.0.1:${port}/apirest.php/endless`, { maxBytes: 50_000, timeoutMs: 10_000 }));
    expect(a.status).toBe(200);
    expect(a.body).toBe('y'.repeat(50_000));
  });

  it('a refused connection is HTTP_UNREACHABLE', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const freePort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const cfg = config({ x: { base_url: `http://127.0.0.1:${freePort}` } });
    const e = await refusal(new FetchProbe(cfg).request(req(`http://127.0.0.1:${freePort}/x`)));
    expect(e.code).toBe('HTTP_UNREACHABLE');
    expect(e.message).toContain('ECONNREFUSED');
  });
});

describe('FetchProbe: private addresses', () => {
  const to = (address: string): Lookup => async () => [{ address, family: address.includes(':') ? 6 : 4 }];

  it('a base URL naming 127.0.0.1 literally is allowed (every test above)', () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
  });

  it('a base URL naming localhost is allowed to reach the loopback (real DNS lookup)', async () => {
    const answer = await new FetchProbe(glpi('localhost')).request(req(`http://localhost:${port}/apirest.php/initSession`));
    expect(answer.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('a host name that resolves to a private address is refused without any request', async () => {
    const lookups: string[] = [];
    const lookup: Lookup = async (h) => {
      lookups.push(h);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const e = await refusal(new FetchProbe(glpi('glpi.internal.test'), { lookup }).request(req(`http://glpi.internal.test:${port}/apirest.php/initSession`)));
    expect(e.code).toBe('PROBE_ADDRESS_NOT_ALLOWED');
    expect(e.details).toEqual({ started: false });
    expect(e.message).toContain('127.0.0.1');
    expect(lookups).toEqual(['glpi.internal.test']);
    expect(seen).toEqual([]);
  });

  it('one private address among public ones is enough to refuse', async () => {
    const lookup: Lookup = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }];
    const e = await refusal(new FetchProbe(glpi('glpi.example.org'), { lookup }).request(req(`http://glpi.example.org:${port}/apirest.php/initSession`)));
    expect(e.code).toBe('PROBE_ADDRESS_NOT_ALLOWED');
  });

  it('localhost resolving to something other than the loopback is refused; allow_private: true lets it through', async () => {
    const e = await refusal(new FetchProbe(glpi('localhost'), { lookup: to('10.0.0.5') }).request(req(`http://localhost:${port}/apirest.php/initSession`)));
    expect(e.code).toBe('PROBE_ADDRESS_NOT_ALLOWED');
    expect(seen).toEqual([]);
    // allow_private skips the check (fetch resolves localhost itself and reaches the server).
    const ok = await new FetchProbe(glpi('localhost', { allow_private: true }), { lookup: to('10.0.0.5') }).request(req(`http://localhost:${port}/apirest.php/initSession`));
    expect(ok.status).toBe(200);
  });

  it('a name that does not resolve is HTTP_UNREACHABLE, nothing started', async () => {
    const lookup: Lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const e = await refusal(new FetchProbe(glpi('nowhere.invalid'), { lookup }).request(req(`http://nowhere.invalid:${port}/apirest.php/initSession`)));
    expect(e.code).toBe('HTTP_UNREACHABLE');
    expect(e.details).toEqual({ started: false });
  });

  it.each([
    ['10.0.0.1', true], ['172.16.5.4', true], ['172.32.0.1', false], ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true],
    ['0.0.0.0', true], ['8.8.8.8', false], ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['2001:4860:4860::8888', false],
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:8.8.8.8', false], ['not-an-address', true],
  ])('isPrivateAddress(%s) = %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('readProbeConfig', () => {
  it('reads the documented example', () => {
    const r = readProbeConfig({ glpi: { base_url: 'https://glpi.example.org/apirest.php/', headers_env: { 'App-Token': 'GLPI_APP_TOKEN', Authorization: 'GLPI_USER_TOKEN' }, allow_private: false, timeout: '5s', max_bytes: 65536 } }, ENV);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.value.probes[0]!;
    expect(p.base.href).toBe('https://glpi.example.org/apirest.php');
    expect(p.headers).toEqual({ 'App-Token': 'app-token-value', Authorization: 'user_token xyz' });
    expect([p.timeoutMs, p.maxBytes, p.allowPrivate]).toEqual([5000, 65536, false]);
  });

  it('no section: no probes', () => {
    expect(readProbeConfig(undefined, {})).toEqual({ ok: true, value: { probes: [] } });
  });

  it('names the path of each error and never a secret', () => {
    const r = readProbeConfig(
      {
        glpi: { base_url: 'ftp://glpi.example.org', headers_env: { 'App-Token': 'MISSING_VAR', 'Bad Header': 'GLPI_APP_TOKEN', Host: 'GLPI_APP_TOKEN', X: 'lower' }, timeout: 'soon', max_bytes: 0, allow_private: 'yes', extra: 1 },
        creds: { base_url: 'https://u:p@h.example/' },
        q: { base_url: 'https://h.example/a?b=1' },
        'bad name!': { base_url: 'https://h.example' },
        nourl: {},
      },
      ENV,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'probes.glpi: unknown key(s) extra (expected base_url, headers_env, allow_private, timeout, max_bytes)',
      'probes.glpi.base_url: expected http:// or https://',
      'probes.glpi.headers_env.App-Token: environment variable MISSING_VAR is not set',
      'probes.glpi.headers_env.Bad Header: not a header the probe may set',
      'probes.glpi.headers_env.Host: not a header the probe may set',
      'probes.glpi.headers_env.X: expected the name of an environment variable (A-Z, 0-9, _)',
      'probes.glpi.allow_private: expected true or false',
      'probes.glpi.timeout: expected a duration from 1ms to 60s',
      'probes.glpi.max_bytes: expected an integer from 1 to 16777216',
      'probes.creds.base_url: no credentials in the URL (use headers_env)',
      'probes.q.base_url: no query or fragment in a base URL',
      'probes.bad name!: a probe name is letters, digits, - and _ (at most 64)',
      'probes.nourl.base_url: expected an http(s) URL',
    ]);
    expect(r.errors.join('\n')).not.toContain('app-token-value');
  });
});
