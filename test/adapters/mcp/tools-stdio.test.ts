import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../engine/errors.ts';
import { readMcpConfig } from '../../../runtime/adapters/mcp/config.ts';
import { McpTools } from '../../../runtime/adapters/mcp/tools.ts';
import { InMemoryStateStore } from '../../../runtime/inmemory/state-store.ts';
import { ManualClock } from '../../../runtime/inmemory/manual-clock.ts';
import { REPO } from '../../support/fixture-project.ts';
import { repoToolCatalog } from '../../support/mcp-simulator.ts';

// The simulator spawned as a child (`npm run simulator -- --stdio`), spoken to over stdin/stdout.
const read = readMcpConfig(
  { servers: { 'widip-mcp': { transport: 'stdio', command: process.execPath, args: [join(REPO, 'bin/run-ts.js'), join(REPO, 'runtime/simulator/main.ts'), '--stdio', '--catalog', join(REPO, 'tools/catalog.yaml')], cwd: REPO } } },
  {},
);
if (!read.ok) throw new Error(read.errors.join('; '));
const tools = new McpTools({ config: read.value, catalog: repoToolCatalog(), state: new InMemoryStateStore(new ManualClock(0)), sleep: async () => {} });

afterAll(async () => {
  await tools.close();
});

describe('McpTools over stdio against the spawned simulator', () => {
  it('answers the shapes, keeps its state between calls, and reuses the one child', async () => {
    expect(tools.health()[0]).toMatchObject({ transport: 'stdio', connected: false });
    const tickets = (await tools.call('glpi_search_new_tickets', { limit: 50 })) as { id: number; requester: unknown }[];
    expect(tickets.map((t) => t.id)).toEqual([101, 102, 103, 104]);
    expect(tickets[1]!.requester).toEqual({ login: 'mmartin', email: 'mmartin@client.example' });
    expect(await tools.call('ad_check_user', { username: 'mmartin' })).toEqual({ exists: true, enabled: true, locked: true });
    expect(await tools.call('ad_unlock_account', { username: 'mmartin' })).toMatchObject({ unlocked: true });
    expect(await tools.call('ad_check_user', { username: 'mmartin' })).toEqual({ exists: true, enabled: true, locked: false });
    const reset = (await tools.call('ad_reset_password', { username: 'jdupont' })) as { new_password: string };
    expect(reset.new_password).toHaveLength(16);
    expect(await tools.call('mysecret_create_secret', { secret: reset.new_password })).toEqual({ url: expect.stringMatching(/^https:\/\//), expires_at: expect.any(String) });
    expect(await tools.call('glpi_close_ticket', { ticket_id: 102, solution: 'Compte déverrouillé' })).toEqual({ closed: true, ticket_id: 102, status: 'closed' });
    expect(((await tools.call('glpi_search_new_tickets', {})) as { id: number }[]).map((t) => t.id)).toEqual([101, 103, 104]);
    expect(tools.health()[0]).toMatchObject({ connected: true, lastError: null });
  });

  it('a server that exits at start is MCP_UNAVAILABLE, nothing sent', async () => {
    const r = readMcpConfig({ servers: { 'widip-mcp': { transport: 'stdio', command: process.execPath, args: ['-e', 'process.exit(3)'] } } }, {});
    if (!r.ok) throw new Error(r.errors.join('; '));
    const broken = new McpTools({ config: r.value, catalog: repoToolCatalog(), state: new InMemoryStateStore(new ManualClock(0)), sleep: async () => {} });
    const e = await broken.call('ad_check_user', { username: 'jdupont' }).catch((x: unknown) => x as EngineError);
    await broken.close();
    expect(e).toMatchObject({ code: 'MCP_UNAVAILABLE', details: { started: false, attempts: 3 } });
  });

  it("a tool's error result is TOOL_FAILED", async () => {
    const e = await tools.call('ad_reset_password', { username: 'ancien.compte' }).catch((x: unknown) => x as EngineError);
    expect(e).toMatchObject({ code: 'TOOL_FAILED', message: 'tool ad_reset_password failed: Active Directory: account ancien.compte is disabled' });
  });
});
