import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { REPO } from '../support/fixture-project.ts';
import { startSimulator, type RunningSimulator } from '../support/mcp-simulator.ts';

/**
 * engine serve with the adapters of engine.config.yaml: the MCP tools and the HTTP probe reach
 * the simulator of GLPI (a test double speaking MCP over Streamable HTTP, and GLPI's initSession)
 * through the real adapters, and /readyz shows their health.
 */
describe('engine serve: adapters configured in engine.config.yaml', () => {
  let dir = '';
  let server: RunningServer | null = null;
  let sim: RunningSimulator | null = null;
  afterEach(async () => {
    await server?.close();
    await sim?.http.close();
    server = null;
    sim = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const playbook = `apiVersion: heal/v1
kind: Playbook
metadata: { name: glpi-probe, version: "1" }
on: { webhook: uptime-kuma }
steps:
  - { id: probe, use: http.request, with: { method: POST, url: "BASE/apirest.php/initSession" }, timeout: 5s }
  - { id: client, use: tool.call, with: { name: glpi_search_client, args: { query: SW-CLIENT-042 } } }
`;

  async function start(config: string, env: Record<string, string> = {}) {
    sim = await startSimulator({ appToken: 'app-token-of-the-test' });
    dir = mkdtempSync(join(tmpdir(), 'engine-adapters-'));
    mkdirSync(join(dir, 'playbooks'));
    writeFileSync(join(dir, 'playbooks', 'glpi-probe.yaml'), playbook.replace('BASE', sim.http.url));
    writeFileSync(join(dir, 'engine.config.yaml'), config.replaceAll('BASE', sim.http.url));
    const loaded = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', ENGINE_ROOT: REPO, PLAYBOOKS_DIR: join(dir, 'playbooks'), ENGINE_CONFIG: join(dir, 'engine.config.yaml') }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const world = createScriptedWorld({ now: '2026-11-21T23:04:00Z' });
    server = await startServer(loaded.config, { clock: world.clock, ids: new CounterIds(), logger: createLogger({ level: 'silent' }), world: { notifier: world.notifier }, watch: false, env: { GLPI_APP_TOKEN: 'app-token-of-the-test', ...env } });
    return server;
  }

  const CONFIG = `mcp:
  servers:
    widip-mcp: { transport: streamable-http, url: BASE/mcp }
probes:
  glpi:
    base_url: BASE/apirest.php
    headers_env: { App-Token: GLPI_APP_TOKEN }
`;

  it('a run reaches GLPI through the configured probe and MCP tools; /readyz shows their health', async () => {
    const s = await start(CONFIG);
    const body = JSON.parse(await (await import('node:fs/promises')).readFile(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8')) as Record<string, unknown>;
    const res = await fetch(`${s.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const accepted = (await res.json()) as { runs: string[] };
    expect(accepted.runs).toHaveLength(1);
    await s.settled();
    const run = (await (await fetch(`${s.url}/runs/${accepted.runs[0]}`)).json()) as { status: string; trace: { type: string; step?: string; output?: unknown }[] };
    expect(run.status, JSON.stringify(run.trace.filter((e) => e.type === 'step.end'))).toBe('succeeded');
    const out = (step: string) => run.trace.find((e) => e.type === 'step.end' && e.step === step)!.output;
    expect(out('probe')).toMatchObject({ status: 200, ok: true, json: { session_token: expect.any(String) } });
    expect(out('client')).toMatchObject({ result: { name: 'Boulangerie Martin' }, shadowed: false });
    const ready = (await (await fetch(`${s.url}/readyz`)).json()) as { status: string; adapters: Record<string, unknown> };
    expect(ready.status).toBe('ready');
    expect(Object.keys(ready.adapters)).toEqual(['tools']);
    expect(ready.adapters['tools']).toEqual([expect.objectContaining({ server: 'widip-mcp' })]);
  });

  it('a section with errors stops the start with every error by path, never a secret', async () => {
    await expect(start(`${CONFIG}hosts:\n  - { name: web-1, address: 10.0.0.5, user: heal }\n`, {})).rejects.toThrow(/CONFIG_INVALID|cannot start: engine\.config\.yaml: hosts\[0\]/);
  });
});
