import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { runPlaybook } from '../../runtime/driver/run-driver.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { CAPS, EVENT, ROOT, TEST_TOOLS, world } from '../run/harness.ts';

/**
 * The supervisor's own status check runs only for a fix whose intent has no verify: of its own
 * (a catalog a team extends): a restart_service without verify: is checked by service_status.
 */
describe('supervisor: an intent without verify: is checked by the service status', () => {
  const shipped = shippedCatalog();
  const catalog: IntentCatalog = Object.freeze(Object.assign(Object.create(null) as Record<string, IntentCatalog[string]>, shipped, { restart_service: { ...shipped['restart_service']!, verify: null } }));
  const file = join(ROOT, 'playbooks/supervisor.yaml');
  const loaded = loadPlaybook(file, readFileSync(file), { ...CAPS, catalog });
  if (!loaded.playbook) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const llm = {
    diagnostician: { observation: 'down', intent: 'restart_service', target: 'nginx', confidence: 0.9, reasoning: 'crash' },
    validator: { agreement: 'AGREE', score: 0.9, objections: [] },
  };
  const go = (shell: Record<string, unknown>) =>
    runPlaybook(loaded.playbook!, { ...EVENT, host: 'web-1' }, { ports: world({ llm, shell } as never).ports, catalog, tools: TEST_TOOLS, prompts: loadProject([], { root: ROOT }).prompts, executors: STEP_EXECUTORS });

  it('passes: verify and verified run, then the fix is remembered', async () => {
    const r = await go({});
    expect(r.path).toEqual(['context', 'memory', 'logs', 'diagnosis', 'validation', 'check', 'decision', 'route', 'execute', 'verify', 'verified', 'remember', 'notify_success']);
    expect(r.outcome).toBe('succeeded');
  });

  it('fails: N2 takes over', async () => {
    const r = await go({ 'systemctl is-active -- nginx': { exitCode: 3, stdout: 'failed', stderr: '' } });
    expect(r.path).toEqual(['context', 'memory', 'logs', 'diagnosis', 'validation', 'check', 'decision', 'route', 'execute', 'verify', 'verified', 'n2']);
    expect(r.outcome).toBe('escalated');
  });
});
