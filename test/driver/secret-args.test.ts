import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { compileProgram } from '../../engine/run/program.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import { driveStoredRun } from '../../runtime/driver/stored-run.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { AesGcmSecrets } from '../../runtime/secrets/aes-gcm-secrets.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { eventRecord, runRow } from '../records/fixtures.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { CAPS, HEADER } from '../run/harness.ts';

const TOOLS = loadToolCatalog({
  file: 'tools.yaml',
  content: `vault_store:
  description: Stores a one-time code.
  server: test
  level: L2
  read_only: false
  idempotent: false
  timeout_seconds: 5
  args: { type: object, required: [user, code], properties: { user: { type: string }, code: { type: string } } }
  secret: [code]
reset_password:
  description: Sets a generated password and returns it.
  server: test
  level: L2
  read_only: false
  idempotent: false
  timeout_seconds: 5
  args: { type: object, required: [user], properties: { user: { type: string } } }
  secret_result: [new_password]
`,
}).catalog!;

/** A stored run of `steps` (a journal on SQLite, sealed secrets) in a scripted world with these tool answers. */
async function storedRun(steps: string, tools: Record<string, unknown>) {
  const { playbook, diagnostics } = loadPlaybook('t.yaml', HEADER + steps, { ...CAPS, tools: TOOLS });
  if (!playbook) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const records = new SqliteRecords(openDatabase(':memory:'));
  const row = { ...runRow('run_0001'), playbook: playbook.ref, event: null, admission: [] };
  await records.commitIngest({ events: [eventRecord('evt_0001', { runs: ['run_0001'] })], runs: [row] });
  const started = (await records.startRun('run_0001', row.queuedAt))!;
  const w = createScriptedWorld({ now: '2026-11-21T23:04:00Z', tools });
  const secrets = new AesGcmSecrets({ key: new Uint8Array(32).fill(3), clock: new ManualClock(Date.parse('2026-11-21T23:04:00Z')) });
  const program = compileProgram(playbook, { catalog: shippedCatalog(), prompts: new Map(), executors: STEP_EXECUTORS, tools: TOOLS });
  const drive = (take = started) => driveStoredRun(program, take, { records, ports: w.ports, secrets, secretValues: [] });
  return { records, started, w, drive };
}

/** A tool argument the catalog marks secret, under a name no key rule would catch. */
describe("a tool's secret arguments", () => {
  let records: SqliteRecords;
  afterEach(() => records.close());

  it('are sealed in the journal and masked in the trace, whatever their names', async () => {
    const r = await storedRun(`
steps:
  - { id: store, use: tool.call, with: { name: vault_store, args: { user: alice, code: "7391-2284" } } }
`, { vault_store: { stored: true } });
    ({ records } = r);
    const { w } = r;
    const run = await r.drive();
    expect(run.outcome).toBe('succeeded');
    expect(w.tools.calls).toEqual([{ name: 'vault_store', args: { user: 'alice', code: '7391-2284' } }]);
    const journal = JSON.stringify(await records.readJournal('run_0001'));
    expect(journal).not.toContain('7391-2284');
    expect(journal).toContain('"$sealed"');
    expect(JSON.stringify(run.trace)).not.toContain('7391-2284');
  });

  it("a result's secret fields (a generated password) are sealed in the journal, masked in the trace, and still reach the next step; a resumed run reads them back", async () => {
    const r = await storedRun(`
steps:
  - { id: reset, use: tool.call, with: { name: reset_password, args: { user: alice } } }
  - { id: store, use: tool.call, with: { name: vault_store, args: { user: alice, code: "\${reset.result.new_password}" } } }
`, { reset_password: { new_password: 'Xk9#pQ2-vT7!', user: 'alice' }, vault_store: { link: 'https://s/1' } });
    ({ records } = r);
    const { w } = r;
    const run = await r.drive();
    expect(run.outcome).toBe('succeeded');
    expect(w.tools.calls[1]).toEqual({ name: 'vault_store', args: { user: 'alice', code: 'Xk9#pQ2-vT7!' } });
    const journal = JSON.stringify(await records.readJournal('run_0001'));
    expect(journal).not.toContain('Xk9#pQ2-vT7!');
    expect(JSON.stringify(run.trace)).not.toContain('Xk9#pQ2-vT7!');
    expect(JSON.stringify(run.trace)).toContain('"user":"alice"');
    // Folded again from its journal (as a resumed run is), the run reads the password back.
    const again = await r.drive({ ...r.started, attempts: 2 });
    expect(again.outcome).toBe('succeeded');
    expect(w.tools.calls).toHaveLength(2);
  });
});
