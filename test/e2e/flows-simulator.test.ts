import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Llm, LlmAnswer, LlmRequest } from '../../engine/ports/llm.ts';
import { runEvent, runScheduled } from '../../cli/testing/run-event.ts';
import { readMcpConfig } from '../../runtime/adapters/mcp/config.ts';
import { McpTools } from '../../runtime/adapters/mcp/tools.ts';
import { loadProject, type Project } from '../../runtime/project/project.ts';
import { createScriptedWorld, type ScriptedWorld } from '../../runtime/recording/world.ts';
import { REPO } from '../support/fixture-project.ts';
import { startSimulator, type RunningSimulator } from '../support/mcp-simulator.ts';

// The shipped flows, run by the real interpreter in a scripted world (clock, ids, LLM, state)
// whose Tools port is the real MCP adapter, over real Streamable HTTP, to the simulator.

let sim: RunningSimulator;
let tools: McpTools;
let project: Project;

/** The support categorizer, scripted per ticket of the simulator's seed data (the flows' tests script it per role). */
const CATEGORIES: [string, string][] = [
  ['Mot de passe oublié', 'RESET_MDP'],
  ['Compte verrouillé', 'DEBLOCAGE_COMPTE'],
  ["Plus d'Internet au cabinet", '#DIAG'],
  ["Demande d'un second écran", 'AUTRE'],
];

class ScriptedCategorizer implements Llm {
  readonly asked: string[] = [];
  async complete(request: LlmRequest): Promise<LlmAnswer> {
    if (request.role !== 'support_categorizer') throw new Error(`unexpected LLM role ${request.role}`);
    const p = request.prompt;
    this.asked.push(p);
    const category = CATEGORIES.find(([title]) => p.includes(title))?.[1];
    if (!category) throw new Error(`no scripted category for the prompt ${p}`);
    return { text: JSON.stringify({ category, reason: `keywords: ${category}` }), model: request.model };
  }
}

function worldWith(fixture: Parameters<typeof createScriptedWorld>[0], llm?: Llm): ScriptedWorld {
  const world = createScriptedWorld(fixture);
  const r = readMcpConfig({ servers: { 'widip-mcp': { transport: 'streamable-http', url: sim.http.mcpUrl, circuit: { key: 'glpi_health_status', open_when: 'down', tools: 'glpi_' } } } }, {});
  if (!r.ok) throw new Error(r.errors.join('; '));
  tools = new McpTools({ config: r.value, catalog: project.tools, state: world.state, sleep: async () => {} });
  return { ...world, ports: { ...world.ports, tools, ...(llm ? { llm } : {}) } };
}

beforeEach(() => {
  project = loadProject([join(REPO, 'playbooks')], { root: REPO });
});

afterEach(async () => {
  await tools?.close();
  await sim?.http.close();
});

describe('the shipped flows against the simulator through the MCP adapter', () => {
  it('SUPPORT: each new ticket is handled in the simulated GLPI and AD, then a second cycle finds only what is left', async () => {
    const now = Date.parse('2026-11-21T23:03:00Z');
    sim = await startSimulator({ now });
    const llm = new ScriptedCategorizer();
    const world = worldWith({ now }, llm);
    await world.state.set('glpi_health_status', 'ok');
    const approvals = { ask_reset: { decision: 'approve', by: 'alice' }, ask_close_reset: { decision: 'approve', by: 'alice' }, ask_close_unlock: { decision: 'approve', by: 'bob' } } as const;

    const run = await runScheduled(project, world, { playbook: 'support', approvals });
    expect(run.summary!.refusals).toEqual([]);
    const log = world.records.logRecords('widip_agent_logs');
    expect(log).toHaveLength(1);
    expect(log[0]!.record).toMatchObject({
      flow: 'support',
      status: 'done',
      summary: { reset_mdp: 1, deblocage_compte: 1, diag: 1, autre: 1, errors: 0, failed_tickets: [], diag_followups: 1, categories: { '101': 'RESET_MDP', '102': 'DEBLOCAGE_COMPTE', '103': '#DIAG', '104': 'AUTRE' } },
    });
    expect(run.summary!.outcome).toBe('escalated'); // ticket 104 (AUTRE) goes to a technician

    const w = sim.world;
    // RESET_MDP (101): the password reset in AD, put behind a one-time link, the link mailed, the ticket closed.
    const jdupont = w.users.get('jdupont')!;
    expect(jdupont.password).not.toBe('Initial#Pass2026');
    expect(jdupont.must_change_at_next_logon).toBe(true);
    const [secret] = [...w.secrets.values()];
    expect(secret).toMatchObject({ secret: jdupont.password, max_views: 1 });
    expect(w.mails).toEqual([expect.objectContaining({ ticket_id: 101, to: 'jdupont@client.example', subject: 'Votre nouveau mot de passe' })]);
    expect(w.mails[0]!.body).toContain(secret!.url);
    expect(w.mails[0]!.body).not.toContain(jdupont.password);
    expect(w.tickets.get(101)).toMatchObject({ status: 'closed', solution: 'Mot de passe réinitialisé ; lien à usage unique envoyé au demandeur.' });
    // The password never went into the run's trace in clear.
    expect(JSON.stringify(run.summary!.trace)).not.toContain(jdupont.password);

    // DEBLOCAGE_COMPTE (102): unlocked, told, closed.
    expect(w.users.get('mmartin')!.locked).toBe(false);
    expect(w.followups.find((f) => f.ticket_id === 102)).toMatchObject({ is_private: false, content: 'Votre compte a été déverrouillé. Vous pouvez vous reconnecter.' });
    expect(w.tickets.get(102)!.status).toBe('closed');
    // #DIAG (103): a private note and the technicians told; the ticket stays open.
    expect(w.followups.find((f) => f.ticket_id === 103)).toMatchObject({ is_private: true });
    expect(w.notifications).toEqual([expect.objectContaining({ kind: 'technician', ticket_id: 103, severity: 'info' })]);
    expect(w.tickets.get(103)!.status).toBe('new');
    // AUTRE (104): a private note, left to a technician.
    expect(w.followups.find((f) => f.ticket_id === 104)).toMatchObject({ is_private: true });
    expect(w.tickets.get(104)!.status).toBe('new');
    // Branch B: the client's #DIAG followup on ticket 85 parsed, the responsibility posted.
    expect(w.followups.find((f) => f.ticket_id === 85 && f.followup_id !== 4001)).toMatchObject({ is_private: true, content: 'SUPPORT #DIAG : responsabilité fai (confiance 85 %).' });
    // Every call carried its effect id as the idempotency key.
    expect(w.calls.every((c) => typeof c.key === 'string' && c.key.startsWith('run_'))).toBe(true);

    // The next cycle: the closed tickets are no longer new; the two left are already claimed.
    const again = await runScheduled(project, world, { playbook: 'support', approvals });
    expect(again.summary!.outcome).toBe('succeeded');
    expect(world.records.logRecords('widip_agent_logs')[1]!.record).toMatchObject({ summary: { reset_mdp: 0, deblocage_compte: 0, already_claimed: 2, diag_followups: 0, errors: 0 } });
    expect(llm.asked).toHaveLength(4);
  });

  it('SUPPORT with GLPI down: the cycle is skipped and the circuit would refuse GLPI tools anyway', async () => {
    const now = Date.parse('2026-11-21T23:03:00Z');
    sim = await startSimulator({ now });
    const world = worldWith({ now }, new ScriptedCategorizer());
    await world.state.set('glpi_health_status', 'down');
    const run = await runScheduled(project, world, { playbook: 'support' });
    expect(run.summary!.path).toEqual(['glpi', 'glpi_state', 'skip_cycle']);
    expect(sim.world.calls).toEqual([]);
    await expect(tools.call('glpi_search_new_tickets', {})).rejects.toMatchObject({ code: 'GLPI_CIRCUIT_OPEN' });
    expect(sim.world.calls).toEqual([]);
  });

  it('SENTINEL: an Observium alert opens a ticket in the simulated GLPI and tells the technicians', async () => {
    const now = Date.parse('2026-11-21T10:04:00Z');
    sim = await startSimulator({ now });
    const world = worldWith({
      now,
      llm: { sentinel: { is_widip_equipment: false, gateway_status: 'ok', internet_status: 'fail', dns_status: 'unknown', diagnosis: 'La passerelle du client repond, Internet non.', besoin_diagnostic_client: false } },
    });
    const event = {
      source: 'observium', kind: 'alert', status: 'down', service: null, host: 'SW-CLIENT-042', severity: 'critical', message: 'Device Down',
      at: '2026-11-21T10:03:39Z', fingerprint: 'observium:alert:345:device:12',
      labels: { alert_id: '345', entity_type: 'device', entity_id: '12', device_id: '12', device_type: 'network' },
      url: 'http://observium.example/device/device=12/tab=alert/alert_entry=345/',
    };
    const run = await runEvent(project, world, event, { playbook: 'sentinel' });
    expect(run.summary!.outcome).toBe('succeeded');
    // The agent read the simulator's Observium, RAG and GLPI client.
    const prompt = world.llm.calls[0]!.prompt;
    expect(prompt).toContain('Boulangerie Martin');
    expect(prompt).toContain('packet_loss_pct');

    const ticket = [...sim.world.tickets.values()].find((t) => t.trackingId === 'ALT-2026-1121100400-0001');
    expect(ticket).toMatchObject({
      id: 200,
      status: 'new',
      title: '[ALT-2026-1121100400-0001] SW-CLIENT-042: Device Down (fai)',
      content: 'Alerte Observium ALT-2026-1121100400-0001 sur SW-CLIENT-042 : Device Down. Client : Boulangerie Martin. Responsabilite : fai (confiance 85 %). Diagnostic : La passerelle du client repond, Internet non.',
    });
    expect(sim.world.notifications).toEqual([
      expect.objectContaining({ kind: 'technician', severity: 'warning', message: '[ALT-2026-1121100400-0001] SW-CLIENT-042: Device Down - responsabilite fai (85 %) - ticket 200' }),
    ]);
    expect(world.records.logRecords('incident_logs')[0]!.record).toMatchObject({ ticket_id: 200, client: 'Boulangerie Martin', responsibility: 'fai', degraded: false });
  });

  it("ENRICHISSEUR: the day's resolved tickets go to the simulated RAG once, a known one is not added again", async () => {
    const now = Date.parse('2026-11-21T17:00:00Z');
    sim = await startSimulator({ now });
    const world = worldWith({ now });
    const before = sim.world.knowledge.length;
    const run = await runScheduled(project, world, { playbook: 'enrichisseur' });
    expect(run.summary!.outcome).toBe('succeeded');
    // Tickets 90 and 91 were resolved in the last 24 h; 91 is already known (kb_88).
    expect(sim.world.callsOf('memory_check_exists').map((c) => c.args)).toEqual([{ ticket_id: 90 }, { ticket_id: 91 }]);
    const added = sim.world.knowledge.slice(before);
    expect(added).toEqual([expect.objectContaining({ ticket_id: 90, category: 'Matériel > Imprimante', tags: ['imprimante', 'spooler'], source: 'glpi' })]);
    // The next day's run over the same tickets adds nothing: the RAG now knows both.
    await runScheduled(project, world, { playbook: 'enrichisseur' });
    expect(sim.world.knowledge.length).toBe(before + 1);
  });
});
