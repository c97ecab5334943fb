import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../engine/errors.ts';
import { readMcpConfig, type McpConfig } from '../../../runtime/adapters/mcp/config.ts';
import { IDEMPOTENCY_META } from '../../../runtime/adapters/mcp/connection.ts';
import { McpTools } from '../../../runtime/adapters/mcp/tools.ts';
import { InMemoryStateStore } from '../../../runtime/inmemory/state-store.ts';
import { ManualClock } from '../../../runtime/inmemory/manual-clock.ts';
import type { ToolCatalog } from '../../../engine/tools/model.ts';
import { startSimulator, withTools, type RunningSimulator } from '../../support/mcp-simulator.ts';

const NOW = Date.parse('2026-11-21T23:03:00Z');

let sim: RunningSimulator;
let state: InMemoryStateStore;
let sleeps: number[];
let initializes: number;
let adapter: McpTools | null;

function config(url: string): McpConfig {
  const r = readMcpConfig({ servers: { 'widip-mcp': { transport: 'streamable-http', url, circuit: { key: 'glpi_health_status', open_when: 'down', tools: 'glpi_' } } } }, {});
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** fetch that counts the initialize requests, to see the connection reused. */
const countingFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
  if (typeof init?.body === 'string' && init.body.includes('"method":"initialize"')) initializes++;
  return fetch(input, init);
};

function tools(catalog: ToolCatalog = sim.catalog): McpTools {
  adapter = new McpTools({
    config: config(sim.http.mcpUrl),
    catalog,
    state,
    fetch: countingFetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return adapter;
}

async function failure(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    return e as EngineError;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  sim = await startSimulator({ now: NOW });
  state = new InMemoryStateStore(new ManualClock(NOW));
  sleeps = [];
  initializes = 0;
  adapter = null;
});

afterEach(async () => {
  await adapter?.close();
  await sim.http.close();
});

describe('McpTools over Streamable HTTP against the simulator', () => {
  it('every tool the flows call answers the shapes the playbooks read', async () => {
    const t = tools();
    const newTickets = (await t.call('glpi_search_new_tickets', { limit: 50 })) as unknown[];
    expect(newTickets.map((x) => (x as { id: number }).id)).toEqual([101, 102, 103, 104]);
    expect(newTickets[0]).toEqual({ id: 101, title: 'Mot de passe oublié', content: "Bonjour, j'ai oublié mon mot de passe, merci de le réinitialiser.", requester: { login: 'jdupont', email: 'jdupont@client.example' } });
    expect(await t.call('glpi_search_new_tickets', { minutes: 3 })).toHaveLength(2);

    const resolved = (await t.call('glpi_get_resolved_tickets', { hours: 24, limit: 50 })) as Record<string, unknown>[];
    expect(resolved.map((r) => r.id)).toEqual([90, 91]);
    expect(Object.keys(resolved[0]!).sort()).toEqual(['category', 'description', 'id', 'solution', 'tags', 'title']);

    expect(await t.call('glpi_search_client', { query: 'SW-CLIENT-042' })).toMatchObject({ name: 'Boulangerie Martin', entity: 'Clients > Boulangerie Martin' });
    expect(await t.call('glpi_create_ticket', { title: 'Incident', content: 'Switch down', tracking_id: 'ALT-1' })).toEqual({ ticket_id: 200 });
    expect(await t.call('glpi_add_followup', { ticket_id: 200, content: 'note', is_private: true })).toEqual({ followup_id: 5000, ticket_id: 200 });
    expect(await t.call('glpi_send_email', { ticket_id: 101, subject: 'Objet', body: 'Corps' })).toMatchObject({ sent: true, to: 'jdupont@client.example' });
    expect(await t.call('glpi_close_ticket', { ticket_id: 101, solution: 'fait' })).toEqual({ closed: true, ticket_id: 101, status: 'closed' });
    expect(await t.call('glpi_search_diag_followups', { limit: 50, hours: 24 })).toEqual([{ ticket_id: 85, followup_id: 4001, content: '#DIAG gw=ok int=fail dns=ok ping=45ms', date: '2026-11-21T20:03:00.000Z' }]);

    expect(await t.call('observium_get_device_status', { device_name: 'SW-CLIENT-042' })).toEqual({ device_name: 'SW-CLIENT-042', status: 'down', uptime_seconds: 0, last_poll: '2026-11-21T23:01:00.000Z' });
    expect(await t.call('observium_get_device_metrics', { device_name: 'SW-CLIENT-042' })).toMatchObject({ latency_ms: null, packet_loss_pct: 100 });
    expect(await t.call('observium_get_device_history', { device_name: 'SW-CLIENT-042' })).toEqual([{ at: '2026-11-14T23:03:00.000Z', alert: 'Device Down', duration: '12m' }]);

    expect(await t.call('ad_check_user', { username: 'mmartin' })).toEqual({ exists: true, enabled: true, locked: true });
    expect(await t.call('ad_check_user', { username: 'nobody' })).toEqual({ exists: false, enabled: false, locked: false });
    expect(await t.call('ad_unlock_account', { username: 'mmartin' })).toEqual({ unlocked: true, username: 'mmartin', was_locked: true });
    const reset = (await t.call('ad_reset_password', { username: 'jdupont' })) as { new_password: string };
    expect(reset).toEqual({ new_password: reset.new_password, username: 'jdupont', must_change_at_next_logon: true });
    expect(reset.new_password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[#!%+=?@]).{16}$/);
    const secret = (await t.call('mysecret_create_secret', { secret: reset.new_password, expire_hours: 24, max_views: 1 })) as { url: string; expires_at: string };
    expect(secret.url).toMatch(/^https:\/\/mysecret\.widip\.example\/s\/[0-9a-f]{16}$/);
    expect(secret.expires_at).toBe('2026-11-22T23:03:00.000Z');

    expect(await t.call('memory_search_similar_cases', { query: 'SW-CLIENT-042 Device Down' })).toEqual([expect.objectContaining({ entry_id: 'kb_42', summary: expect.any(String), score: expect.any(Number) })]);
    expect(await t.call('memory_check_exists', { ticket_id: 91 })).toEqual({ exists: true, entry_id: 'kb_88' });
    expect(await t.call('memory_check_exists', { ticket_id: 90 })).toEqual({ exists: false, entry_id: null });
    expect(await t.call('memory_add_knowledge', { ticket_id: 90, problem_summary: 'p', solution_summary: 's', quality_score: 0.9, source: 'glpi' })).toEqual({ entry_id: 'kb_9003' });
    expect(await t.call('notify_client', { client: 'Boulangerie Martin', message: 'Merci de lancer le diagnostic' })).toMatchObject({ sent: true });
    expect(await t.call('notify_technician', { message: 'Switch down', severity: 'warning' })).toMatchObject({ sent: true });

    // The state changes are the simulator's: later calls see them.
    expect(((await t.call('glpi_search_new_tickets', {})) as { id: number }[]).map((x) => x.id)).toEqual([102, 103, 104, 200]);
    expect(await t.call('ad_check_user', { username: 'mmartin' })).toEqual({ exists: true, enabled: true, locked: false });
    expect(await t.call('memory_check_exists', { ticket_id: 90 })).toEqual({ exists: true, entry_id: 'kb_9003' });
    expect(sim.world.users.get('jdupont')!.password).toBe(reset.new_password);
    expect(sim.world.secrets.size).toBe(1);
    // One connection, reused for every call.
    expect(initializes).toBe(1);
  });

  it('connects lazily, reuses the connection, reports it in health()', async () => {
    const t = tools();
    expect(t.health()).toEqual([{ server: 'widip-mcp', transport: 'streamable-http', connected: false, lastError: null, lastErrorAt: null }]);
    expect(initializes).toBe(0);
    await t.call('ad_check_user', { username: 'jdupont' });
    await t.call('ad_check_user', { username: 'mmartin' });
    expect(initializes).toBe(1);
    expect(t.health()[0]).toMatchObject({ connected: true, lastError: null });
    expect(t.describe()).toBe(`MCP tools: 20/20 catalog tools over widip-mcp (streamable-http ${sim.http.mcpUrl}, circuit on glpi_health_status)`);
    await t.close();
    expect(t.health()[0]!.connected).toBe(false);
  });

  it('sends the effect id as the idempotency key: a repeat of a non-idempotent call does not act twice', async () => {
    const t = tools();
    const args = { title: 'Incident', content: 'Switch down' };
    const first = await t.call('glpi_create_ticket', args, { key: 'run_1/ticket/1/1' });
    const again = await t.call('glpi_create_ticket', args, { key: 'run_1/ticket/1/1' });
    expect(again).toEqual(first);
    expect(sim.world.callsOf('glpi_create_ticket').map((c) => c.key)).toEqual(['run_1/ticket/1/1', 'run_1/ticket/1/1']);
    expect([...sim.world.tickets.keys()].filter((id) => id >= 200)).toEqual([200]);
    expect(IDEMPOTENCY_META).toBe('io.heal-engine/idempotency-key');
  });

  it('retries an idempotent tool after a transport failure, with exponential backoff', async () => {
    const t = tools();
    await t.call('ad_check_user', { username: 'jdupont' });
    sim.http.failNextToolCalls(2);
    expect(await t.call('ad_check_user', { username: 'mmartin' })).toEqual({ exists: true, enabled: true, locked: true });
    expect(sim.http.refused).toBe(2);
    expect(sleeps).toEqual([250, 500]);
    expect(sim.world.callsOf('ad_check_user')).toHaveLength(2);
    expect(t.health()[0]!.lastError).toBeNull();
  });

  it('gives up after a bounded number of attempts', async () => {
    const t = tools();
    sim.http.failNextToolCalls(10);
    const e = await failure(t.call('observium_get_device_status', { device_name: 'SW-CLIENT-042' }));
    expect(e.code).toBe('MCP_UNAVAILABLE');
    expect(e.message).toMatch(/after 3 attempts/);
    expect(sleeps).toEqual([250, 500]);
    expect(sim.http.refused).toBe(3);
    expect(t.health()[0]!.lastError).toMatch(/503/);
  });

  it('does not retry a tool that is not idempotent: the call may have run', async () => {
    const t = tools();
    await t.call('ad_check_user', { username: 'jdupont' });
    sim.http.failNextToolCalls(1);
    const e = await failure(t.call('glpi_create_ticket', { title: 'Incident', content: 'Switch down' }));
    expect(e.code).toBe('MCP_UNAVAILABLE');
    expect(e.message).toMatch(/not retried/);
    expect(e.details).toMatchObject({ started: 'unknown', attempts: 1 });
    expect(e.retryable).toBe(false);
    expect(sleeps).toEqual([]);
    expect(sim.http.refused).toBe(1);
    // The adapter recovers for the next call.
    expect(await t.call('glpi_create_ticket', { title: 'Incident', content: 'Switch down' })).toEqual({ ticket_id: 200 });
  });

  it('one refused request does not break the session for the calls in flight beside it', async () => {
    const t = tools();
    await t.call('ad_check_user', { username: 'jdupont' });
    const release = sim.world.stall('ad_check_user');
    const inFlight = t.call('ad_check_user', { username: 'mmartin' });
    while (sim.world.callsOf('ad_check_user').length < 2) await new Promise((r) => setImmediate(r));
    sim.http.failNextToolCalls(1);
    const e = await failure(t.call('glpi_create_ticket', { title: 'Incident', content: 'Switch down' }));
    expect(e.code).toBe('MCP_UNAVAILABLE');
    release();
    expect(await inFlight).toEqual({ exists: true, enabled: true, locked: true });
    expect(initializes).toBe(1);
  });

  it("a call longer than the tool's timeout_seconds fails with TOOL_TIMEOUT", async () => {
    const t = tools(withTools(sim.catalog, { ad_check_user: { timeoutSeconds: 0.2 } }));
    await t.call('ad_check_user', { username: 'jdupont' });
    const release = sim.world.stall('ad_check_user');
    const e = await failure(t.call('ad_check_user', { username: 'mmartin' }));
    release();
    expect(e.code).toBe('TOOL_TIMEOUT');
    expect(e.message).toBe('tool ad_check_user: no answer within 200 ms');
    expect(sleeps).toEqual([]);
  });

  it('the signal aborts a call in flight with its reason', async () => {
    const t = tools();
    await t.call('ad_check_user', { username: 'jdupont' });
    const release = sim.world.stall('ad_check_user');
    const control = new AbortController();
    const pending = failure(t.call('ad_check_user', { username: 'mmartin' }, { signal: control.signal }));
    while (sim.world.callsOf('ad_check_user').length < 2) await new Promise((r) => setImmediate(r));
    control.abort(new EngineError('STEP_TIMEOUT', 'check: no answer within 10 ms', { retryable: true }));
    const e = await pending;
    release();
    expect(e.code).toBe('STEP_TIMEOUT');
  });

  it("a tool's error result is TOOL_FAILED with the tool's text, never retried", async () => {
    const t = tools();
    const e = await failure(t.call('glpi_close_ticket', { ticket_id: 9999, solution: 'fait' }));
    expect(e.code).toBe('TOOL_FAILED');
    expect(e.message).toBe('tool glpi_close_ticket failed: GLPI: ticket 9999 not found');
    expect(e.details).toMatchObject({ started: true });
    expect(sleeps).toEqual([]);
    expect(sim.world.callsOf('glpi_close_ticket')).toHaveLength(1);
    const bad = await failure(t.call('ad_check_user', { username: 'x', extra: 1 }));
    expect(bad.code).toBe('TOOL_FAILED');
    expect(bad.message).toMatch(/invalid arguments for ad_check_user/);
  });

  it('no error message carries a secret argument in clear', async () => {
    const t = tools();
    const password = 'Vq7#pLm2!xR9tZ';
    sim.world.failNext('mysecret_create_secret', `could not store the secret "${password}" (quota exceeded)`);
    const e = await failure(t.call('mysecret_create_secret', { secret: password }));
    expect(e.code).toBe('TOOL_FAILED');
    expect(e.message).toBe('tool mysecret_create_secret failed: could not store the secret "[REDACTED]" (quota exceeded)');
    expect(JSON.stringify(e.details)).not.toContain(password);
  });

  it('an open GLPI circuit refuses GLPI tools without calling them; other tools go on', async () => {
    const t = tools();
    await state.set('glpi_health_status', 'down');
    const e = await failure(t.call('glpi_search_new_tickets', { limit: 50 }));
    expect(e.code).toBe('GLPI_CIRCUIT_OPEN');
    expect(e.details).toMatchObject({ started: false, tool: 'glpi_search_new_tickets', key: 'glpi_health_status' });
    expect(sim.world.calls).toEqual([]);
    expect(initializes).toBe(0);
    expect(await t.call('ad_check_user', { username: 'jdupont' })).toMatchObject({ exists: true });
    await state.set('glpi_health_status', 'ok');
    expect(await t.call('glpi_search_new_tickets', { limit: 50 })).toHaveLength(4);
  });

  it('refuses, without sending, a tool outside the catalog or of a server not configured', async () => {
    const t = tools(withTools(sim.catalog, { notify_client: { server: 'other-mcp' } }));
    const unknown = await failure(t.call('rm_rf', {}));
    expect(unknown.code).toBe('TOOL_UNKNOWN');
    const elsewhere = await failure(t.call('notify_client', { client: 'x', message: 'y' }));
    expect(elsewhere.code).toBe('MCP_SERVER_NOT_CONFIGURED');
    expect(elsewhere.details).toMatchObject({ started: false, server: 'other-mcp' });
    expect(sim.world.calls).toEqual([]);
  });

  it('a server that does not answer is a transport failure, retried then reported', async () => {
    const url = sim.http.mcpUrl;
    await sim.http.close();
    adapter = new McpTools({ config: config(url), catalog: sim.catalog, state, sleep: async (ms) => void sleeps.push(ms) });
    const e = await failure(adapter.call('ad_check_user', { username: 'jdupont' }));
    expect(e.code).toBe('MCP_UNAVAILABLE');
    expect(sleeps).toEqual([250, 500]);
    expect(e.details).toMatchObject({ started: false, attempts: 3 });
    expect(adapter.health()[0]).toMatchObject({ connected: false, lastError: expect.stringMatching(/could not connect/) });
    sim = await startSimulator({ now: NOW });
  });
});
