import { describe, expect, it } from 'vitest';
import { readMcpConfig } from '../../../runtime/adapters/mcp/config.ts';

describe('readMcpConfig', () => {
  it('reads the three transports, secrets from the environment', () => {
    const r = readMcpConfig(
      {
        servers: {
          'widip-mcp': { transport: 'streamable-http', url: 'http://mcp.internal:3001/mcp', headers_env: { 'X-API-Key': 'WIDIP_KEY' }, circuit: { key: 'glpi_health_status', open_when: 'down', tools: 'glpi_' } },
          local: { transport: 'stdio', command: 'node', args: ['server.js'], env: { TOKEN: 'CHILD_TOKEN' } },
          legacy: { transport: 'jsonrpc', url: 'http://localhost:3001', api_key_env: 'MCP_API_KEY' },
        },
      },
      { WIDIP_KEY: 'k1', CHILD_TOKEN: 't2', MCP_API_KEY: 'k3' },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        servers: {
          'widip-mcp': { name: 'widip-mcp', transport: 'streamable-http', url: 'http://mcp.internal:3001/mcp', headers: { 'X-API-Key': 'k1' }, circuit: { key: 'glpi_health_status', openWhen: ['down'], tools: ['glpi_'] } },
          local: { name: 'local', transport: 'stdio', command: 'node', args: ['server.js'], env: { TOKEN: 't2' }, cwd: null, circuit: null },
          legacy: { name: 'legacy', transport: 'jsonrpc', url: 'http://localhost:3001/', apiKey: 'k3', header: 'X-API-Key', circuit: null },
        },
      },
    });
  });

  it('names the path of every problem and never takes a secret from the file', () => {
    const r = readMcpConfig(
      {
        servers: {
          a: { transport: 'streamable-http', url: 'ftp://x', headers_env: { 'X-API-Key': 'MISSING_VAR' } },
          b: { transport: 'jsonrpc', url: 'http://user:pw@host', api_key_env: 'not a name', extra: 1 },
          c: { transport: 'stdio' },
          d: { transport: 'sse' },
          e: { transport: 'streamable-http', url: 'http://ok', circuit: { key: 'glpi_health_status' } },
        },
      },
      {},
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'mcp.servers.a.url: must be http or https (got ftp:)',
      'mcp.servers.a.headers_env.X-API-Key: the environment variable MISSING_VAR is not set',
      'mcp.servers.b.extra: unknown setting (known: transport, url, api_key_env, header, circuit)',
      'mcp.servers.b.url: no credentials in the URL; use headers_env or api_key_env',
      'mcp.servers.b.api_key_env: must name an environment variable (secrets are never written in the file)',
      'mcp.servers.c.command: must be the program to start',
      'mcp.servers.d.transport: must be streamable-http, stdio or jsonrpc (got "sse")',
      'mcp.servers.e.circuit.tools: must be a tool-name prefix, or a list of them',
    ]);
  });

  it('refuses a section without servers', () => {
    expect(readMcpConfig(null, {})).toEqual({ ok: false, errors: ['mcp: must be a mapping with servers'] });
    expect(readMcpConfig({ servers: {} }, {})).toEqual({ ok: false, errors: ['mcp.servers: must be a mapping of at least one server name to its settings'] });
  });
});
