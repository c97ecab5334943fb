import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InMemoryStateStore } from '../../runtime/inmemory/state-store.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { buildConfiguredWorld } from '../../runtime/service/configured-world.ts';
import { repoToolCatalog } from '../support/mcp-simulator.ts';
import { REPO } from '../support/fixture-project.ts';
import { keygen } from '../adapters/ssh/support/sshd.ts';

/** The README's engine.config.yaml example for the adapters builds every adapter it shows. */
describe('docs: the adapters example of the README', () => {
  it('loads: an SSH host, the MCP server, the notifiers and the probe', async () => {
    const block = /```yaml\n(hosts:[\s\S]*?)```/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'))?.[1];
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'readme-adapters-'));
    try {
      // The example's key file, made for real (its path stands for the user's own).
      keygen(join(dir, 'id_ed25519'));
      const doc = parse(block!.replace('/etc/heal/id_ed25519', join(dir, 'id_ed25519'))) as Record<string, unknown>;
      const clock = new ManualClock(0);
      const env = { SLACK_OPS_WEBHOOK: 'https://hooks.slack.com/services/T0/B0/x', SMTP_USER: 'heal', SMTP_PASSWORD: 'a-password', GLPI_APP_TOKEN: 'an-app-token' };
      const built = buildConfiguredWorld(doc, { env, root: dir, logger: createLogger({ level: 'silent' }), clock, state: new InMemoryStateStore(clock), tools: repoToolCatalog });
      if (!built.ok) throw new Error(built.errors.join('\n'));
      expect(Object.keys(built.value.world).sort()).toEqual(['http', 'notifier', 'shell', 'tools']);
      expect(built.value.lines.join('\n')).not.toMatch(/a-password|an-app-token/);
      await built.value.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
