import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineError } from '../../../engine/errors.ts';
import { readMcpConfig } from '../../../runtime/adapters/mcp/config.ts';
import { McpTools } from '../../../runtime/adapters/mcp/tools.ts';
import { InMemoryStateStore } from '../../../runtime/inmemory/state-store.ts';
import { ManualClock } from '../../../runtime/inmemory/manual-clock.ts';
import { startSimulator, type RunningSimulator } from '../../support/mcp-simulator.ts';

// Seed 004 section 3.2: POST {base}/mcp/call, {"jsonrpc": "2.0", "id", "method": tool, "params": {name, arguments}}, X-API-Key.
const KEY = 'test-api-key-0123';
let sim: RunningSimulator;
let sleeps: number[];
let adapter: McpTools | null = null;

function tools(apiKey: string): McpTools {
  const r = readMcpConfig({ servers: { 'widip-mcp': { transport: 'jsonrpc', url: sim.http.url, api_key_env: 'MCP_API_KEY' } } }, { MCP_API_KEY: apiKey });
  if (!r.ok) throw new Error(r.errors.join('; '));
  adapter = new McpTools({ config: r.value, catalog: sim.catalog, state: new InMemoryStateStore(new ManualClock(0)), sleep: async (ms) => void sleeps.push(ms) });
  return adapter;
}

const failure = (p: Promise<unknown>): Promise<EngineError> => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as EngineError);

beforeEach(async () => {
  sim = await startSimulator({ now: Date.parse('2026-11-21T10:04:00Z'), apiKey: KEY });
  sleeps = [];
});

afterEach(async () => {
  await adapter?.close();
  await sim.http.close();
});

describe('McpTools over the plain JSON-RPC API-key endpoint', () => {
  it('calls the tools with the key and the idempotency header; the result is the answer', async () => {
    const t = tools(KEY);
    expect(t.health()[0]).toMatchObject({ transport: 'jsonrpc', connected: false });
    expect(await t.call('observium_get_device_status', { device_name: 'SW-CLIENT-042' })).toMatchObject({ status: 'down' });
    expect(await t.call('glpi_create_ticket', { title: 'Incident', content: 'Switch down' }, { key: 'run_9/ticket/1/1' })).toEqual({ ticket_id: 200 });
    expect(await t.call('glpi_search_diag_followups', { hours: 24 })).toEqual([expect.objectContaining({ ticket_id: 85, followup_id: 4001 })]);
    expect(sim.world.callsOf('glpi_create_ticket')[0]!.key).toBe('run_9/ticket/1/1');
    expect(t.health()[0]).toMatchObject({ connected: true, lastError: null });
  });

  it('a wrong API key is refused, not retried, and the key is not in the message', async () => {
    const t = tools('wrong-key-value');
    const e = await failure(t.call('ad_check_user', { username: 'jdupont' }));
    expect(e.code).toBe('MCP_UNAUTHORIZED');
    expect(e.message).not.toContain('wrong-key-value');
    expect(sleeps).toEqual([]);
    expect(sim.world.calls).toEqual([]);
  });

  it("a JSON-RPC error is the tool's failure: TOOL_FAILED", async () => {
    const e = await failure(tools(KEY).call('glpi_add_followup', { ticket_id: 4242, content: 'x' }));
    expect(e).toMatchObject({ code: 'TOOL_FAILED', message: 'tool glpi_add_followup failed: GLPI: ticket 4242 not found' });
  });

  it('an HTTP 503 is a transport failure: an idempotent tool is retried, a create is not', async () => {
    const t = tools(KEY);
    sim.http.failNextToolCalls(1);
    expect(await t.call('ad_check_user', { username: 'jdupont' })).toMatchObject({ exists: true });
    expect(sleeps).toEqual([250]);
    sim.http.failNextToolCalls(1);
    const e = await failure(t.call('notify_technician', { message: 'm' }));
    expect(e.code).toBe('MCP_UNAVAILABLE');
    expect(sleeps).toEqual([250]);
    expect(sim.world.callsOf('notify_technician')).toEqual([]);
  });
});
