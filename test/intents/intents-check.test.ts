import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intentsCheckCommand, type IntentsCheckArgs } from '../../cli/commands/intents-check.ts';
import { ROOT } from './shipped-catalog.ts';

const scratch = mkdtempSync(join(tmpdir(), 'intents-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: Partial<IntentsCheckArgs> & { intent: string }) {
  let stdout = '';
  let stderr = '';
  const code = await intentsCheckCommand(
    { format: 'text', catalogDir: join(ROOT, 'intents'), ...args },
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
  );
  return { code, stdout, stderr };
}

let files = 0;
function targetsFile(lines: string[]): string {
  const file = join(scratch, `targets-${++files}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('engine intents check', () => {
  it('prints the rendered command and exits 0 for a valid target', async () => {
    const r = await run({ intent: 'restart_service', target: 'nginx' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('systemctl restart -- nginx\n');
    expect(r.stderr).toBe('');
  });

  it('exits 1 with the reason for a refused target', async () => {
    const r = await run({ intent: 'restart_service', target: 'nginx;reboot' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('refused: TARGET_BLOCKED: target "nginx;reboot" contains the blocked pattern ";"\n');
  });

  it('refuses ESCALATE with its reason (confidence plays no part)', async () => {
    const r = await run({ intent: 'ESCALATE', format: 'json', target: '' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ ok: false, code: 'ESCALATE_REQUESTED', reason: expect.stringContaining('human') }),
    ]);
  });

  it('prints a one-element array with --format json and a single TARGET', async () => {
    const r = await run({ intent: 'restart_service', target: 'nginx', format: 'json' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { target: 'nginx', ok: true, reason: null, code: null, command: 'systemctl restart -- nginx', line: null },
    ]);
  });

  it('checks every JSON-string line of a --targets file, control characters and NUL included', async () => {
    const file = targetsFile([
      '"nginx"',
      '"nginx\\u0000"',
      '"nginx\\n"',
      '"nginx\\u001b[31m"',
      '',
      '"php8.1-fpm"',
      'nginx',
      '42',
      '"NGINX"',
    ]);
    const r = await run({ intent: 'restart_service', targetsFile: file, format: 'json' });
    expect(r.code).toBe(1);
    const verdicts = JSON.parse(r.stdout) as { target: string | null; ok: boolean; reason: string | null; code: string | null }[];
    expect(verdicts.map((v) => [v.target, v.ok, v.code])).toEqual([
      ['nginx', true, null],
      ['nginx\u0000', false, 'TARGET_GRAMMAR'],
      ['nginx\n', false, 'TARGET_GRAMMAR'],
      ['nginx\u001b[31m', false, 'TARGET_GRAMMAR'],
      ['php8.1-fpm', true, null],
      [null, false, 'LINE_NOT_JSON_STRING'],
      [null, false, 'LINE_NOT_JSON_STRING'],
      ['NGINX', false, 'TARGET_NOT_ALLOWED'],
    ]);
    expect(verdicts[1]?.reason).toContain('\\u0000');
    expect(verdicts[5]?.reason).toContain('line 7');
    expect(verdicts.every((v) => (v.ok ? v.reason === null : typeof v.reason === 'string'))).toBe(true);
  });

  it('prints control characters escaped in text mode, one line per target', async () => {
    const file = targetsFile(['"nginx"', '"nginx\\u001b]0;owned\\u0007"']);
    const r = await run({ intent: 'restart_service', targetsFile: file });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/:1: ok "nginx": systemctl restart -- nginx$/);
    expect(lines[1]).toMatch(/:2: refused "nginx\\u001b\]0;owned\\u0007": TARGET_/);
  });

  it('exits 0 when every line of a --targets file is valid', async () => {
    const file = targetsFile(['"web"', '"worker"']);
    const r = await run({ intent: 'restart_container', targetsFile: file });
    expect(r.code).toBe(0);
  });

  it('reports an unknown intent with a suggestion', async () => {
    const r = await run({ intent: 'restart_servce', target: 'nginx' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INTENT_UNKNOWN');
    expect(r.stdout).toContain('did you mean restart_service?');
  });

  it('exits 2 and prints located diagnostics for a poisoned catalog', async () => {
    const r = await run({ intent: 'restart_service', target: 'nginx', catalogDir: join(ROOT, 'test/fixtures/catalog/poisoned') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/poisoned\/targets\.yaml:\d+:\d+: CATALOG_TARGET_BLOCKED: /);
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    // No TARGET is not a usage error: the intent is checked with no target (TARGET_REQUIRED here).
    expect((await run({ intent: 'restart_service' })).code).toBe(1);
    expect((await run({ intent: 'restart_service', target: 'nginx', targetsFile: 'x' })).code).toBe(2);
    expect((await run({ intent: 'restart_service', targetsFile: join(scratch, 'missing.txt') })).code).toBe(2);
    expect((await run({ intent: 'restart_service', target: 'nginx', catalogDir: join(scratch, 'nowhere') })).code).toBe(2);
  });
});
