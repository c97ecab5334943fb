/** APPROVAL_MISSING: an intent that requires approval, reachable without an approval.request for it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { lintCommand } from '../../cli/commands/lint.ts';
import { captureIo } from '../cli/capture.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { CAPS, HEADER, ROOT } from '../run/harness.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';

// The shipped catalog has no intent that requires approval: two are added for these tests.
const shipped = shippedCatalog();
const CATALOG: IntentCatalog = Object.freeze(
  Object.assign(Object.create(null) as Record<string, IntentCatalog[string]>, shipped, {
    restart_db: { ...shipped['restart_service']!, name: 'restart_db', requiresApproval: true },
    failover_db: { ...shipped['restart_service']!, name: 'failover_db', requiresApproval: true },
  }),
);

/** Every diagnostic, so a case that does not compile cannot pass for one without a warning. */
const lint = (body: string): string[] => loadPlaybook('t.yaml', HEADER + body, { ...CAPS, catalog: CATALOG }).diagnostics.map(formatDiagnostic);
const warning = (at: string, intent = 'restart_db') =>
  `t.yaml:${at}: warning: APPROVAL_MISSING: intent ${intent} requires approval: this step can be reached without an approval.request for it; the engine refuses to run it without a granted approval (put an approval.request step with intent: ${intent} on every path to it)`;

const approve = (id: string, intent = 'restart_db', extra = '') => `  - { id: ${id}, use: approval.request, with: { intent: ${intent}, target: db, reason: why }${extra} }\n`;
const restart = (id: string, intent = 'restart_db', extra = '') => `  - { id: ${id}, use: intent.run, with: { intent: ${intent}, target: db }${extra} }\n`;
const value = (id: string, extra = '') => `  - { id: ${id}, use: value, with: { x: 1 }${extra} }\n`;
/** Steps as the body (steps: or parallel:) of the step written just before. */
const inside = (steps: string) => steps.replace(/^  - /gm, '      - ');

describe('the approved shapes', () => {
  it('an approval.request for the intent directly before it, or reaching it by next:', () => {
    expect(lint('steps:\n' + approve('ask') + restart('go'))).toEqual([]);
    expect(lint('steps:\n' + approve('ask', 'restart_db', ', next: go') + value('other', ', next: end') + value('more') + restart('go'))).toEqual([]);
  });

  it('an approval.request whose intent is an expression covers any intent', () => {
    expect(lint('steps:\n' + approve('ask', '"${event.service}"') + restart('go') + restart('again', 'failover_db'))).toEqual([]);
  });

  it('intents that need no approval, and intents given as expressions, are not checked', () => {
    expect(lint('steps:\n' + restart('go', 'restart_service') + restart('other', '"${event.service}"'))).toEqual([]);
  });

  it('on every path: both cases of a switch pass an approval before they meet', () => {
    const body = 'steps:\n  - { id: pick, switch: event.host, cases: { a: ask_a, b: ask_b }, default: ask_a }\n' + approve('ask_a', 'restart_db', ', next: go') + approve('ask_b') + restart('go');
    expect(lint(body)).toEqual([]);
  });

  it('inside a group, a for_each body or a parallel that ends before the intent', () => {
    expect(lint('steps:\n  - id: g\n    steps:\n' + inside(approve('ask') + restart('go')))).toEqual([]);
    expect(lint('steps:\n  - id: g\n    steps:\n' + inside(approve('ask')) + restart('go'))).toEqual([]);
    expect(lint('steps:\n' + approve('ask') + '  - id: each\n    for_each: event.labels\n    steps:\n' + inside(restart('go')))).toEqual([]);
    expect(lint('steps:\n  - id: each\n    for_each: event.labels\n    steps:\n' + inside(approve('ask') + restart('go')))).toEqual([]);
    expect(lint('steps:\n  - id: both\n    parallel:\n' + inside(approve('ask') + value('note')) + restart('go'))).toEqual([]);
  });

  it('a retry loop back through the approval', () => {
    expect(lint('steps:\n' + approve('ask') + restart('go', 'restart_db', ', on_error: ask'))).toEqual([]);
  });
});

describe('the paths that miss the approval', () => {
  it('no approval at all, located at the intent', () => {
    expect(lint('steps:\n' + restart('go'))).toEqual([warning('6:48')]);
  });

  it('an approval for another intent', () => {
    expect(lint('steps:\n' + approve('ask', 'failover_db') + restart('go'))).toEqual([warning('7:48')]);
  });

  it('an approval with when: may be skipped', () => {
    expect(lint('steps:\n' + approve('ask', 'restart_db', ', when: event.host == "a"') + restart('go'))).toEqual([warning('7:48')]);
  });

  it('a switch case or a next: that jumps past the approval', () => {
    const viaCase = 'steps:\n  - { id: pick, switch: event.host, cases: { a: ask, b: go } }\n' + approve('ask') + restart('go');
    expect(lint(viaCase)).toEqual([warning('8:48')]);
    const viaDefault = 'steps:\n  - { id: pick, switch: event.host, cases: { a: ask }, default: go }\n' + approve('ask') + restart('go');
    expect(lint(viaDefault)).toEqual([warning('8:48')]);
    expect(lint('steps:\n' + value('first', ', next: go') + approve('ask') + restart('go'))).toEqual([warning('8:48')]);
  });

  it("an on_error: route, the step's or the playbook's, since any step may fail (the approval too)", () => {
    expect(lint('steps:\n' + value('first', ', on_error: go') + approve('ask') + restart('go'))).toEqual([warning('8:48')]);
    expect(lint('steps:\n' + approve('ask', 'restart_db', ', on_error: go') + restart('go'))).toEqual([warning('7:48')]);
    expect(lint('on_error: go\nsteps:\n' + approve('ask') + restart('go'))).toEqual([warning('8:48')]);
  });

  it('inside a group: an approval after the intent does not count', () => {
    expect(lint('steps:\n  - id: g\n    steps:\n' + inside(restart('go') + approve('ask')))).toEqual([warning('8:52')]);
  });

  it('a for_each body may run zero times; a parallel branch does not cover its sibling', () => {
    const each = 'steps:\n  - id: each\n    for_each: event.labels\n    steps:\n' + inside(approve('ask')) + restart('go');
    expect(lint(each)).toEqual([warning('10:48')]);
    expect(lint('steps:\n  - id: both\n    parallel:\n' + inside(approve('ask') + restart('go')))).toEqual([warning('9:52')]);
    const tolerant = 'steps:\n  - id: both\n    on_branch_error: continue\n    parallel:\n' + inside(approve('ask') + value('note')) + restart('go');
    expect(lint(tolerant)).toEqual([warning('11:48')]);
  });

  it('a warning, not an error: the playbook loads', () => {
    const r = loadPlaybook('t.yaml', HEADER + 'steps:\n' + restart('go'), { ...CAPS, catalog: CATALOG });
    expect(r.playbook).not.toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['APPROVAL_MISSING', 'warning']]);
  });
});

describe('engine lint', () => {
  it('prints the warning and exits 0', () => {
    // The test catalog valid-inline has restart_app, which requires approval.
    const dir = mkdtempSync(join(tmpdir(), 'lint-approval-'));
    const file = join(dir, 'restart-app.yaml');
    writeFileSync(file, HEADER + 'steps:\n' + restart('go', 'restart_app').replace('target: db', 'target: app'));
    const c = captureIo();
    const code = lintCommand([file], { format: 'text', intents: join(ROOT, 'test/fixtures/catalog/valid-inline') }, c.io);
    rmSync(dir, { recursive: true, force: true });
    expect(c.stdout.join('\n')).toMatch(/restart-app\.yaml:\d+:\d+: warning: APPROVAL_MISSING: intent restart_app requires approval/);
    expect(c.stderr.join('\n')).toMatch(/0 error\(s\), 1 warning\(s\)/);
    expect(code).toBe(0);
  });

  it('the shipped supervisor has no intent that can run without its approval', () => {
    const file = join(ROOT, 'playbooks/supervisor.yaml');
    const r = loadPlaybook('supervisor.yaml', readFileSync(file), CAPS);
    expect(r.playbook).not.toBeNull();
    expect(r.diagnostics.filter((d) => d.code === 'APPROVAL_MISSING')).toEqual([]);
  });
});

describe('L3 tools', () => {
  const tools = loadToolCatalog({ file: 'tools/catalog.yaml', content: readFileSync(join(ROOT, 'tools/catalog.yaml')) }).catalog!;
  const L3 = tools['ad_reset_password']!;
  const lint = (body: string): string[] => loadPlaybook('t.yaml', HEADER + body, { ...CAPS, catalog: CATALOG, tools }).diagnostics.map(formatDiagnostic);
  const call = (id: string) => `  - { id: ${id}, use: tool.call, with: { name: ${L3.name}, args: { username: bob } } }\n`;
  it('an L3 tool.call reachable without an approval.request for that tool is a warning at its name; with one before it, none', () => {
    expect(lint('steps:\n' + call('reset'))).toEqual([
      expect.stringMatching(new RegExp(`^t\\.yaml:6:48: warning: APPROVAL_MISSING: tool ${L3.name} is L3: this step can be reached without an approval.request for it`)),
    ]);
    const ask = `  - { id: ask, use: approval.request, with: { tool: ${L3.name}, args: { username: bob }, reason: why } }\n`;
    expect(lint('steps:\n' + ask + call('reset'))).toEqual([]);
    // The approval of an intent does not cover a tool.
    expect(lint('steps:\n' + approve('ask') + call('reset'))).toHaveLength(1);
  });
});
