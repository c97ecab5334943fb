import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentsCheckCommand } from '../../cli/commands/intents-check.ts';
import { intentsListCommand, type IntentListing } from '../../cli/commands/intents-list.ts';
import { engine, ROOT } from './spawn.ts';

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s) } };
}

const catalogDir = join(ROOT, 'intents');

describe('engine intents list', () => {
  it('lists every intent with risk, read-only, approval and targets', async () => {
    const { out, io } = capture();
    expect(await intentsListCommand({ format: 'text', catalogDir }, io)).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^INTENT\s+RISK\s+READ-ONLY\s+APPROVAL\s+TARGETS$/);
    expect(lines).toContainEqual(expect.stringMatching(/^restart_service\s+low\s+no\s+no\s+services: nginx, php8\.1-fpm, postgresql$/));
    expect(lines).toContainEqual(expect.stringMatching(/^collect_logs\s+low\s+yes\s+no\s+services: /));
    expect(lines).toContainEqual(expect.stringMatching(/^docker_prune\s+medium\s+no\s+no\s+none$/));
    expect(out.stderr).toBe('');
  });

  it('prints the same facts as JSON', async () => {
    const { out, io } = capture();
    expect(await intentsListCommand({ format: 'json', catalogDir }, io)).toBe(0);
    const listings = JSON.parse(out.stdout) as IntentListing[];
    expect(listings.map((l) => l.name)).toContain('ESCALATE');
    expect(listings.find((l) => l.name === 'restart_service')).toEqual({
      name: 'restart_service',
      description: expect.any(String),
      risk: 'low',
      read_only: false,
      requires_approval: false,
      cooldown_seconds: 300,
      targets: { set: 'services', items: ['nginx', 'php8.1-fpm', 'postgresql'] },
      command: ['systemctl', 'restart', '--', '{target}'],
      escalate: false,
    });
    expect(listings.find((l) => l.name === 'docker_prune')?.targets).toBeNull();
  });

  it('exits 2 when the catalog does not load', async () => {
    const { out, io } = capture();
    expect(await intentsListCommand({ format: 'text', catalogDir: join(ROOT, 'test/fixtures/catalog/poisoned') }, io)).toBe(2);
    expect(out.stderr).toContain('CATALOG_TARGET_BLOCKED');
  });
});

describe('engine intents check without a TARGET', () => {
  it('accepts an intent that takes no target and prints its command', async () => {
    const { out, io } = capture();
    expect(await intentsCheckCommand({ intent: 'docker_prune', format: 'text', catalogDir }, io)).toBe(0);
    expect(out.stdout).toBe('docker system prune -f\n');
  });

  it('refuses an intent that needs a target, naming the allowed ones', async () => {
    const { out, io } = capture();
    expect(await intentsCheckCommand({ intent: 'restart_service', format: 'text', catalogDir }, io)).toBe(1);
    expect(out.stdout).toBe('refused: TARGET_REQUIRED: intent restart_service needs a target (allowed from set services: nginx, php8.1-fpm, postgresql)\n');
  });
});

describe('the engine command', () => {
  it('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = engine(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('intents check INTENT runs for an intent without target (no usage error), one line per answer', () => {
    const r = engine(['intents', 'check', 'vacuum_journal']);
    expect(r).toMatchObject({ code: 0, stdout: 'journalctl --vacuum-size=500M\n', stderr: '' });
  });

  it('intents list --format json is valid JSON', () => {
    const r = engine(['intents', 'list', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(5);
  });
});
