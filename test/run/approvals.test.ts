import { describe, expect, it } from 'vitest';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { CAPS, HEADER, routes, run, stepEnd, world } from './harness.ts';

// The shipped catalog has no intent that requires approval: one is added for these tests.
const shipped = shippedCatalog();
const CATALOG: IntentCatalog = Object.freeze(
  Object.assign(Object.create(null) as Record<string, IntentCatalog[string]>, shipped, {
    restart_db: { ...shipped['restart_service']!, name: 'restart_db', requiresApproval: true, cooldownSeconds: 0 },
  }),
);

function compile(body: string) {
  const { playbook, diagnostics } = loadPlaybook('inline.yaml', HEADER + body, { ...CAPS, catalog: CATALOG });
  if (!playbook) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return playbook;
}

const SHELL = { 'systemctl restart -- nginx': { exitCode: 0, stdout: '', stderr: '' } };

const decide = (decision: 'approved' | 'rejected' | 'expired', by: string | null = 'alice') =>
  async (effect: Effect): Promise<EffectOutcome | null> =>
    effect.request.kind === 'approval.await' ? { ok: true, value: { decision, by, at: '2025-03-03T10:05:00.000Z', reason: decision === 'rejected' ? 'not now' : null } } : null;

const ASK_THEN_RUN = (target = 'nginx', host = 'web1') => `
steps:
  - id: ask
    use: approval.request
    with: { intent: restart_db, target: ${target}, host: ${host}, reason: "the database is stuck", expires_in: 30m }
    on_timeout: too_late
    on_error: refused
  - { id: go, use: intent.run, with: { intent: restart_db, target: nginx, host: web1 } }
  - { id: done, use: value, with: { by: "\${ask.by}" }, next: end }
  - { id: too_late, use: value, with: { code: "\${error.code}" }, next: end }
  - { id: refused, use: value, with: { code: "\${error.code}", message: "\${error.message}" } }
`;

describe('approvals', () => {
  it('an approval-required intent without an approval is refused with its reason, and nothing runs', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(`
steps:
  - { id: go, use: intent.run, with: { intent: restart_db, target: nginx, host: web1 } }
`), w, { catalog: CATALOG });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toBe('go: INTENT_REFUSED: APPROVAL_REQUIRED: restart_db on nginx at web1 requires an approval, and this run holds none granted for it');
    expect(r.trace.filter((e) => e.type === 'intent.refused')).toEqual([expect.objectContaining({ step: 'go', code: 'APPROVAL_REQUIRED' })]);
    expect(w.shell.calls).toEqual([]);
  });

  it('the run suspends at the request: the step after it does not run, and the run is waiting', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(ASK_THEN_RUN()), w, { catalog: CATALOG });
    expect(r.outcome).toBe('waiting');
    expect(r.path).toEqual(['ask']);
    expect(w.shell.calls).toEqual([]);
    expect(w.notifier.sent.map((n) => n.channel)).toEqual(['approvals']);
    expect(r.reason).toMatch(/^approval apr_\S+ requested at step ask: the database is stuck$/);
    expect(r.state.status).toBe('waiting');
    const [wait] = Object.values(r.state.pending);
    expect(wait).toMatchObject({ step: 'ask', mode: 'wait', request: { kind: 'approval.await', intent: 'restart_db', target: 'nginx', host: 'web1', expiresAt: Date.parse('2025-03-03T10:30:00Z') } });
    expect(r.trace.some((e) => e.type === 'run.end')).toBe(false);
  });

  it('approved: the grant joins the run and the approved intent runs, with who approved in the output', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(ASK_THEN_RUN()), w, { catalog: CATALOG, answerWait: decide('approved') });
    expect(r.outcome).toBe('succeeded');
    expect(r.path).toEqual(['ask', 'go', 'done']);
    expect(w.shell.calls.map((c) => c.argv.join(' '))).toEqual(['systemctl restart -- nginx', 'systemctl is-active -- nginx']);
    expect(stepEnd(r.trace, 'ask')[0]!.output).toMatchObject({ status: 'approved', by: 'alice', intent: 'restart_db', target: 'nginx', host: 'web1' });
    expect(r.state.approvals).toEqual([expect.objectContaining({ step: 'ask', intent: 'restart_db', target: 'nginx', host: 'web1', by: 'alice' })]);
  });

  it('an approval counts only for what it names: another host is still refused', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(ASK_THEN_RUN('nginx', 'web2')), w, { catalog: CATALOG, answerWait: decide('approved') });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/APPROVAL_REQUIRED: restart_db on nginx at web1 requires an approval/);
    expect(w.shell.calls).toEqual([]);
  });

  it('rejected: the step fails with APPROVAL_REJECTED and takes on_error:, nothing runs', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(ASK_THEN_RUN()), w, { catalog: CATALOG, answerWait: decide('rejected', 'bob') });
    expect(routes(r.trace)).toEqual(['ask->refused (on_error)']);
    expect(stepEnd(r.trace, 'refused')[0]!.output).toEqual({ code: 'APPROVAL_REJECTED', message: 'bob rejected restart_db on nginx: not now' });
    expect(w.shell.calls).toEqual([]);
  });

  it('expired: the step takes on_timeout: with APPROVAL_EXPIRED', async () => {
    const w = world({ shell: SHELL });
    const r = await run(compile(ASK_THEN_RUN()), w, { catalog: CATALOG, answerWait: decide('expired', null) });
    expect(routes(r.trace)).toEqual(['ask->too_late (on_timeout)', 'too_late->end (next)']);
    expect(stepEnd(r.trace, 'too_late')[0]!.output).toEqual({ code: 'APPROVAL_EXPIRED' });
    expect(w.shell.calls).toEqual([]);
  });

  it('a run that failed is never reported waiting', async () => {
    const pb = compile(`
steps:
  - id: par
    parallel:
      - { id: ask, use: approval.request, with: { intent: restart_db, target: nginx, reason: why } }
      - { id: boom, use: tool.call, with: { name: broken, read_only: true } }
`);
    const r = await run(pb, world({ tools: { broken: { error: { code: 'TOOL_DOWN', message: 'down' } } } }), { catalog: CATALOG });
    expect(r.outcome).toBe('failed');
    expect(r.state.status).toBe('done');
  });
});

describe('wait: a durable timer', () => {
  const WAIT = `
steps:
  - { id: pause, use: wait, with: { for: 10m } }
  - { id: after, use: value, with: { at: "\${pause.waited_until}" } }
`;

  it('suspends the run until its time; nothing after it runs meanwhile', async () => {
    const r = await run(compile(WAIT), world());
    expect(r.outcome).toBe('waiting');
    expect(r.path).toEqual(['pause']);
    expect(Object.values(r.state.pending)).toEqual([expect.objectContaining({ mode: 'wait', request: { kind: 'timer.wait', until: Date.parse('2025-03-03T10:10:00Z') } })]);
    expect(r.reason).toBe('step pause waits for a timer');
  });

  it('goes on when the timer fires', async () => {
    const fire = async (effect: Effect): Promise<EffectOutcome | null> => (effect.request.kind === 'timer.wait' ? { ok: true, value: { firedAt: '2025-03-03T10:10:00.000Z' } } : null);
    const r = await run(compile(WAIT), world(), { answerWait: fire });
    expect(r.outcome).toBe('succeeded');
    expect(stepEnd(r.trace, 'after')[0]!.output).toEqual({ at: '2025-03-03T10:10:00.000Z' });
  });

  it('refuses a wait beyond 7 days, and one given both for: and until:', async () => {
    const long = await run(compile('steps:\n  - { id: pause, use: wait, with: { for: 8d } }\n'), world());
    expect(long.reason).toBe('pause: STEP_INPUT: wait: at most 7d (asked 192h)');
    const both = await run(compile('steps:\n  - { id: pause, use: wait, with: { for: 1m, until: "2025-03-03T11:00:00Z" } }\n'), world());
    expect(both.reason).toBe('pause: STEP_INPUT: wait: give exactly one of for: or until:');
  });
});
