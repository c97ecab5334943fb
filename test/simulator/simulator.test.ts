import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toolNames } from '../../engine/tools/model.ts';
import { REPO } from '../support/fixture-project.ts';
import { startSimulator, type RunningSimulator } from '../support/mcp-simulator.ts';

let sim: RunningSimulator;

beforeEach(async () => {
  sim = await startSimulator({ now: Date.parse('2026-11-21T23:03:00Z'), apiKey: 'k-123', appToken: 'app-token-1' });
});
afterEach(async () => {
  await sim.http.close();
});

describe('the simulator (test double) MCP server', () => {
  it("lists every catalog tool with the catalog's args as its input schema", async () => {
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(sim.http.mcpUrl)));
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((t) => t.name).sort()).toEqual(toolNames(sim.catalog));
    for (const t of tools) expect(t.inputSchema).toEqual(sim.catalog[t.name]!.argsSchema);
    expect(sim.world.toolNames()).toEqual(toolNames(sim.catalog));
  });

  it("answers GLPI's initSession with a session token, wants the App-Token, fails while GLPI is down", async () => {
    const init = (token?: string) => fetch(`${sim.http.url}/apirest.php/initSession`, { method: 'POST', headers: token ? { 'App-Token': token } : {} });
    const ok = await init('app-token-1');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ session_token: expect.stringMatching(/^sim-/) });
    expect((await init()).status).toBe(400);
    expect((await init('other')).status).toBe(400);
    sim.world.glpiDown = true;
    const down = await init('app-token-1');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual(['ERROR_GLPI_UNAVAILABLE', 'GLPI is down (simulated)']);
  });

  it("speaks seed 004's JSON-RPC call with the API key", async () => {
    const call = (key: string, method: string, args: unknown) =>
      fetch(`${sim.http.url}/mcp/call`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-API-Key': key }, body: JSON.stringify({ jsonrpc: '2.0', id: 'a1', method, params: { name: method, arguments: args } }) });
    const ok = await call('k-123', 'ad_check_user', { username: 'jdupont' });
    expect(await ok.json()).toEqual({ jsonrpc: '2.0', id: 'a1', result: { exists: true, enabled: true, locked: false } });
    expect((await call('nope', 'ad_check_user', { username: 'jdupont' })).status).toBe(401);
    expect(await (await call('k-123', 'drop_tables', {})).json()).toMatchObject({ error: { code: -32601 } });
    expect(await (await call('k-123', 'ad_check_user', {})).json()).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/username/) } });
  });

  it('npm run simulator prints where it listens, and answers there', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin/run-ts.js'), join(REPO, 'runtime/simulator/main.ts'), '--port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout! });
      let url = '';
      for await (const line of lines) {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) {
          url = m[1]!;
          break;
        }
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
