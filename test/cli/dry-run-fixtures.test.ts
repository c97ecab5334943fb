import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dryRunCommand } from '../../cli/commands/dry-run.ts';
import type { Io } from '../../cli/io.ts';
import { FIXTURE_PLAYBOOKS, REPO } from '../support/fixture-project.ts';

/** `engine dry-run --state FILE --shell FILE`: the world the run meets, given as files. */
describe('engine dry-run world files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dry-run-world-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const dryRun = async (extra: Record<string, string>) => {
    const out: string[] = [];
    const io: Io = { stdout: (text) => out.push(text), stderr: (text) => out.push(text) };
    const code = await dryRunCommand(
      { event: join(REPO, 'examples/uptime-kuma/down.json'), source: 'uptime-kuma', llm: join(REPO, 'examples/llm-auto-execute.json'), format: 'json', playbooks: [FIXTURE_PLAYBOOKS], playbook: 'remediate', ...extra },
      io,
    );
    return { code, out: JSON.parse(out.join('\n')) as { outcome: string; gates: { gate: string; verdict: string }[]; commands: string[]; reason: string | null } };
  };

  it('--state sets keys before the run: a host in maintenance is left alone', async () => {
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ 'maintenance:web-1': true }));
    const r = await dryRun({ state: join(dir, 'state.json') });
    expect(r.code).toBe(0);
    expect(r.out.outcome).toBe('skipped');
    expect(r.out.gates.at(-1)).toMatchObject({ gate: 'maintenance', verdict: 'refuse' });
  });

  it('--shell scripts what the commands answer: a restart that exits 1 fails its step', async () => {
    writeFileSync(join(dir, 'shell.json'), JSON.stringify({ 'systemctl restart -- nginx': { exitCode: 1, stdout: '', stderr: 'Job failed' } }));
    const r = await dryRun({ shell: join(dir, 'shell.json') });
    expect(r.out.commands).toEqual(['systemctl restart -- nginx']);
    expect(r.out.reason).toMatch(/exited with 1/);
  });
});

describe('engine dry-run --schedule', () => {
  it('runs a scheduled playbook at --now with the probe answers of --http', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dry-run-schedule-'));
    try {
      writeFileSync(join(dir, 'http.json'), JSON.stringify({ 'POST https://glpi.example.org/apirest.php/initSession': { status: 200, body: { session_token: 't' } } }));
      const out: string[] = [];
      const io: Io = { stdout: (text) => out.push(text), stderr: (text) => out.push(text) };
      const code = await dryRunCommand({ schedule: true, playbook: 'health_check', now: '2026-11-21T23:04:00Z', http: join(dir, 'http.json'), format: 'json', playbooks: [join(REPO, 'playbooks')] }, io);
      expect(code, out.join('\n')).toBe(0);
      expect(JSON.parse(out.join('\n'))).toMatchObject({ playbook: { name: 'health_check' }, path: ['probe', 'answered', 'up', 'was_down', 'back'], outcome: 'succeeded' });
      const usage: string[] = [];
      expect(await dryRunCommand({ schedule: true, format: 'text', playbooks: [] }, { stdout: (t) => usage.push(t), stderr: (t) => usage.push(t) })).toBe(2);
      expect(usage.join('\n')).toMatch(/--schedule with --playbook NAME and --now ISO/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
