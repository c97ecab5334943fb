import { describe, expect, it } from 'vitest';
import { testCommand } from '../../cli/commands/test.ts';
import { captureIo } from './capture.ts';

interface TestOutput {
  passed: number;
  failed: number;
  brokenFiles: number;
  results: { file: string; name: string; ok: boolean; failures: string[] }[];
}

async function run(paths: string[]) {
  const c = captureIo();
  const code = await testCommand(paths, { format: 'json' }, c.io);
  const out = c.stdout.length ? (JSON.parse(c.stdout.join('\n')) as TestOutput) : null;
  return { code, out, stderr: c.stderr.join('\n') };
}

const files = (out: TestOutput | null) => [...new Set(out?.results.map((r) => r.file))];

describe('engine test: files and folders, as the help says', () => {
  it.each([
    ['a playbooks folder holding tests/', 'playbooks'],
    ['a tests/ folder', 'playbooks/tests'],
    ['a test file given directly', 'playbooks/tests/supervisor.yaml'],
    ["a single playbook's tests", 'playbooks/supervisor.yaml'],
  ])('%s (%s) runs the supervisor cases', async (_what, path) => {
    const r = await run([path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A folder holds every flow's tests (a team adds its own): the supervisor's are among them.
    expect(files(r.out)).toContain('playbooks/tests/supervisor.yaml');
    expect(r.out?.passed).toBeGreaterThan(10);
    expect(r.out?.failed).toBe(0);
  });

  it('a test file far from its playbook finds it by looking up the folders', async () => {
    const r = await run(['test/fixtures/layout/elsewhere/deep/echo-cases.yaml']);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, out: { passed: 1, failed: 0 } });
  });

  it('a test file anywhere in the repository finds the playbooks of playbooks/', async () => {
    const r = await run(['test/fixtures/layout/elsewhere/deep/supervisor-cases.yaml']);
    expect(r).toMatchObject({ code: 0, out: { passed: 1, failed: 0 } });
  });

  it('a folder runs every test file under it, tests/ included, each with its own playbook', async () => {
    const r = await run(['test/fixtures/layout']);
    expect(r.code).toBe(0);
    expect(files(r.out)).toEqual([
      'test/fixtures/layout/elsewhere/deep/echo-cases.yaml',
      'test/fixtures/layout/elsewhere/deep/supervisor-cases.yaml',
      'test/fixtures/layout/playbooks/tests/echo.yaml',
    ]);
    expect(r.out).toMatchObject({ passed: 4, failed: 0 });
  });

  it("a playbook file runs only its own tests (the ones beside it that name it)", async () => {
    const r = await run(['test/fixtures/layout/playbooks/echo.yaml']);
    expect(files(r.out)).toEqual(['test/fixtures/layout/playbooks/tests/echo.yaml']);
    expect(r.out).toMatchObject({ passed: 2, failed: 0 });
  });

  it('a path that does not exist is a usage error', async () => {
    const r = await run(['playbooks/nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('playbooks/nope: no such file or folder');
  });
});

describe('engine test: expectations on state TTLs and notification bodies', () => {
  it('a wrong TTL or body is a failure that says what it saw', async () => {
    const { mkdtempSync, mkdirSync, copyFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'heal-ttl-'));
    mkdirSync(join(dir, 'tests'));
    copyFileSync('playbooks/health-check.yaml', join(dir, 'health-check.yaml'));
    writeFileSync(
      join(dir, 'tests', 'health-check.yaml'),
      `playbook: health_check
defaults: { now: "2026-11-21T23:04:00Z" }
cases:
  - name: down
    trigger: schedule
    http: { "POST https://glpi.example.org/apirest.php/initSession": { error: { code: HTTP_UNREACHABLE, message: refused } } }
    expect:
      ttls: { glpi_health_status: 30s, glpi_down_alert_sent: 5m, nothing_here: null }
      notifications: [{ channel: ops, body: "GLPI is fine" }]
`,
    );
    const r = await run([dir]);
    expect(r.code).toBe(1);
    expect(r.out?.results[0]?.failures).toEqual([
      'ttl of glpi_health_status: want 30s (30000 ms), got 60000 ms',
      expect.stringMatching(/^notification 1 body: want "GLPI is fine", got "GLPI's API does not answer: refused\./),
    ]);
  });
});
