import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dryRunCommand } from '../../cli/commands/dry-run.ts';
import type { Io } from '../../cli/io.ts';

/** `engine dry-run --format json` prints the event and its trace redacted, as traces are everywhere. */

const root = join(import.meta.dirname, '../..');

describe('engine dry-run --format json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dry-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never prints a password from the body in clear', async () => {
    const body = JSON.parse(readFileSync(join(root, 'examples/alertmanager/firing.json'), 'utf8')) as { alerts: Array<{ labels: Record<string, string> }> };
    body.alerts[0]!.labels['db_password'] = 'hunter2-dry-run';
    const file = join(dir, 'alert.json');
    writeFileSync(file, JSON.stringify(body));
    const out: string[] = [];
    const io: Io = { stdout: (text) => out.push(text), stderr: (text) => out.push(text) };
    const code = await dryRunCommand(
      { event: file, source: 'alertmanager', llm: join(root, 'examples/llm-auto-execute.json'), format: 'json', playbooks: [join(root, 'test/fixtures/answer-playbooks')] , playbook: 'record' },
      io,
    );
    expect(code, out.join('\n')).toBe(0);
    const printed = out.join('\n');
    expect(printed).not.toContain('hunter2');
    const result = JSON.parse(printed) as { event: { labels: Record<string, string> }; trace: Array<{ type: string; event?: { labels: Record<string, string> } }> };
    expect(result.event.labels).toMatchObject({ db_password: '[REDACTED]', service: 'nginx' });
    expect(result.trace.find((e) => e.type === 'run.start')!.event!.labels['db_password']).toBe('[REDACTED]');
  });
});

describe('engine dry-run (text): what reached each model', () => {
  it('shows every LLM call with its rendered prompt, redacted, and the supervisor\'s path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dry-run-prompt-'));
    try {
      const body = JSON.parse(readFileSync(join(root, 'examples/uptime-kuma/down.json'), 'utf8')) as { heartbeat: { msg: string } };
      // A secret in the alert text reaches the prompt only masked.
      body.heartbeat.msg = `${body.heartbeat.msg} password=hunter2-in-prompt`;
      const file = join(dir, 'down.json');
      writeFileSync(file, JSON.stringify(body));
      const out: string[] = [];
      const io: Io = { stdout: (text) => out.push(text), stderr: (text) => out.push(text) };
      const code = await dryRunCommand({ event: file, source: 'uptime-kuma', llm: join(root, 'examples/llm-auto-execute.json'), format: 'text', playbooks: [join(root, 'playbooks')], playbook: 'supervisor' }, io);
      const printed = out.join('\n');
      expect(code, printed).toBe(0);
      expect(printed).toMatch(/^ {2}llm {7}diagnosis \(diagnostician, qwen2\.5-coder:3b, \d+ chars\): You are the DIAGNOSTICIAN/m);
      expect(printed).toMatch(/^ {2}llm {7}validation \(validator, phi3:mini, \d+ chars\)/m);
      expect(printed).not.toContain('hunter2');
      const json: string[] = [];
      await dryRunCommand({ event: file, source: 'uptime-kuma', llm: join(root, 'examples/llm-auto-execute.json'), format: 'json', playbooks: [join(root, 'playbooks')], playbook: 'supervisor' }, { stdout: (t) => json.push(t), stderr: (t) => json.push(t) });
      const trace = (JSON.parse(json.join('\n')) as { trace: { type: string; prompt?: string }[] }).trace.filter((e) => e.type === 'llm');
      expect(trace).toHaveLength(2);
      expect(trace[0]!.prompt).toContain('password=[REDACTED]');
      expect(json.join('\n')).not.toContain('hunter2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
