import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintCommand } from '../../cli/commands/lint.ts';
import { testCommand } from '../../cli/commands/test.ts';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { captureIo } from './capture.ts';
import { ROOT } from './spawn.ts';

interface LintOutput {
  files: string[];
  tests: string[];
  catalogs: string[];
  skipped: string[];
  diagnostics: Diagnostic[];
}

function lint(paths: string[]) {
  const c = captureIo();
  const code = lintCommand(paths, { format: 'json' }, c.io);
  return { code, out: JSON.parse(c.stdout.join('\n')) as LintOutput, stderr: c.stderr.join('\n') };
}

// A team's tree with what a repository holds besides playbooks (written here: node_modules is git-ignored).
const tree = mkdtempSync(join(tmpdir(), 'lint-tree-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));
const at = (p: string) => relative(process.cwd(), join(tree, p));
function write(path: string, text: string) {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}
const echo = readFileSync(join(ROOT, 'test/fixtures/layout/playbooks/echo.yaml'), 'utf8');
write('playbooks/echo.yaml', echo);
write('playbooks/tests/echo.yaml', 'playbook: echo\ncases:\n  - name: down\n    now: "2026-11-21T23:04:00Z"\n    event: { source: uptime-kuma }\n    expectt: { path: [first] }\n');
write('playbooks/tests/other.yaml', 'playbook: ehco\ncases:\n  - name: x\n    expect: { matched: false }\n');
write('intents/catalog.yaml', readFileSync(join(ROOT, 'test/fixtures/catalog/poisoned/catalog.yaml'), 'utf8'));
write('intents/targets.yaml', readFileSync(join(ROOT, 'test/fixtures/catalog/poisoned/targets.yaml'), 'utf8'));
write('docker-compose.yml', 'services:\n  web: { image: nginx }\n');
write('k8s/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n');
write('node_modules/some-package/broken.yaml', 'a: [unclosed\n');
write('.github/workflows/ci.yml', 'a: [unclosed\n');

describe('engine lint DIR: every document as what it is', () => {
  const r = lint([tree]);
  const codes = r.out.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.code}`);

  it('lints the playbook as a playbook and finds nothing wrong with it', () => {
    expect(r.out.files).toEqual([at('playbooks/echo.yaml')]);
    expect(codes.filter((c) => c.startsWith(at('playbooks/echo.yaml')))).toEqual([]);
  });

  it('checks a test file against the test-case schema, never as a broken playbook', () => {
    expect(r.out.tests).toEqual([at('playbooks/tests/echo.yaml'), at('playbooks/tests/other.yaml')]);
    const inTests = r.out.diagnostics.filter((d) => d.location.file === at('playbooks/tests/echo.yaml'));
    expect(inTests.map((d) => `${d.location.line}:${d.location.column}: ${d.code}: ${d.message}`)).toEqual([
      '6:5: SCHEMA: cases[0]: unknown property "expectt" (did you mean "expect"?)',
      '3:5: SCHEMA: cases[0]: missing required property "expect"',
    ].sort());
    expect(inTests.some((d) => /apiVersion|kind/.test(d.message))).toBe(false);
  });

  it('reports a test file naming a playbook that does not exist, with the closest one', () => {
    const d = r.out.diagnostics.find((x) => x.location.file === at('playbooks/tests/other.yaml'));
    expect(d).toMatchObject({ code: 'TEST_UNKNOWN_PLAYBOOK', location: { line: 1, column: 11 }, hint: 'did you mean echo?' });
  });

  it('checks a catalog folder with the catalog loader', () => {
    expect(r.out.catalogs).toEqual([at('intents/catalog.yaml'), at('intents/targets.yaml')]);
    expect(codes).toContainEqual(expect.stringMatching(new RegExp(`^${at('intents/targets.yaml')}:\\d+:\\d+: CATALOG_TARGET_BLOCKED$`)));
  });

  it('skips other YAML with a note, and never enters node_modules or dot-folders', () => {
    expect(r.out.skipped).toEqual([at('docker-compose.yml'), at('k8s/deployment.yaml')]);
    const notes = r.out.diagnostics.filter((d) => d.severity === 'note');
    expect(notes.map((d) => [d.code, d.location.file])).toEqual([
      ['DOCUMENT_SKIPPED', at('docker-compose.yml')],
      ['DOCUMENT_SKIPPED', at('k8s/deployment.yaml')],
    ]);
    expect(notes[1]?.message).toContain('apiVersion "apps/v1", kind "Deployment"');
    expect(codes.some((c) => c.includes('node_modules') || c.includes('.github'))).toBe(false);
  });

  it('exits 1 for the errors, not for the notes', () => {
    expect(r.code).toBe(1);
    expect(r.out.diagnostics.filter((d) => d.severity === 'error').every((d) => !d.location.file.endsWith('.yml'))).toBe(true);
  });
});

describe('engine lint FILE: a catalog or test file given explicitly is checked as what it is', () => {
  it('the shipped catalog lints clean', () => {
    const r = lint(['intents/catalog.yaml']);
    expect(r.code).toBe(0);
    expect(r.out.catalogs).toEqual(['intents/catalog.yaml']);
    expect(r.out.diagnostics).toEqual([]);
  });

  it('a poisoned catalog gives catalog errors, no playbook schema errors', () => {
    const r = lint(['test/fixtures/catalog/poisoned/catalog.yaml']);
    expect(r.code).toBe(1);
    expect(new Set(r.out.diagnostics.map((d) => d.code))).toEqual(new Set(['CATALOG_TARGET_GRAMMAR', 'CATALOG_TARGET_BLOCKED']));
  });

  it("the shipped test file lints clean: its playbook is found from where it is", () => {
    const r = lint(['playbooks/tests/supervisor.yaml']);
    expect(r).toMatchObject({ code: 0, out: { files: [], tests: ['playbooks/tests/supervisor.yaml'], diagnostics: [] } });
  });

  it('a playbooks folder lints its playbooks and their test files', () => {
    const r = lint(['test/fixtures/layout/playbooks']);
    expect(r).toMatchObject({ code: 0, out: { files: ['test/fixtures/layout/playbooks/echo.yaml'], tests: ['test/fixtures/layout/playbooks/tests/echo.yaml'], diagnostics: [] } });
  });

  it('a test case whose expected path names a step the playbook does not have is a located lint error', () => {
    write('typo/playbooks/echo.yaml', readFileSync(join(ROOT, 'test/fixtures/layout/playbooks/echo.yaml'), 'utf8'));
    write('typo/playbooks/tests/echo.yaml', 'playbook: echo\ncases:\n  - name: both steps\n    now: "2026-11-21T23:04:00Z"\n    event: { source: uptime-kuma, status: down, service: nginx }\n    expect: { path: [first, secnod] }\n');
    const r = lint([at('typo/playbooks')]);
    expect(r.code).toBe(1);
    expect(r.out.diagnostics).toEqual([
      expect.objectContaining({ code: 'TEST_UNKNOWN_STEP', hint: 'did you mean second?', location: expect.objectContaining({ file: at('typo/playbooks/tests/echo.yaml'), line: 6, column: 29 }) }),
    ]);
  });

  it('an unknown YAML file named explicitly is linted as a playbook (its missing header is reported)', () => {
    const r = lint([join(tree, 'docker-compose.yml')]);
    expect(r.code).toBe(1);
    expect(r.out.diagnostics.map((d) => d.message)).toContainEqual('missing required property "apiVersion"');
  });
});

describe('engine test with a test file whose playbook is nowhere', () => {
  it('reports TEST_UNKNOWN_PLAYBOOK, saying where it looked', async () => {
    const c = captureIo();
    expect(await testCommand([join(tree, 'playbooks/tests/other.yaml')], { format: 'text' }, c.io)).toBe(1);
    expect(c.stderr.join('\n')).toMatch(/other\.yaml:1:11: TEST_UNKNOWN_PLAYBOOK: no playbook named ehco \(looked in .*playbooks\/tests\/, .*playbooks\/\)/);
  });
});
