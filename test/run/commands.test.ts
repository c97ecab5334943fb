import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { loadCatalog } from '../../engine/intents/load-catalog.ts';
import type { Shell } from '../../engine/ports/shell.ts';
import { summarize } from '../../engine/run/result.ts';
import type { TraceEvent } from '../../engine/trace/trace.ts';
import { UnconfiguredShell } from '../../runtime/unconfigured/adapters.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { CAPS, compile, EVENT, HEADER, routes, run, stepEnd, world } from './harness.ts';

/** What ran, as each record tells it: the trace, the summary's commands and the audit trail. */
const RESTART = `
on_error: n2
steps:
  - id: act
    use: intent.run
    with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", source: test }
    next: end
  - { id: n2, use: escalate, with: { level: N2, reason: "\${error.code}" } }
`;

function commandEvents(trace: readonly TraceEvent[]) {
  return trace.filter((e): e is Extract<TraceEvent, { type: 'command' }> => e.type === 'command');
}

describe('intent.run tells the truth about what ran', () => {
  it('a command the Shell could not send is not run: trace, summary, audit agree, and no cooldown is taken', async () => {
    const pb = compile(RESTART);
    const w = world();
    const r = await run(pb, w, { ports: { shell: new UnconfiguredShell() } });
    const s = summarize(r);
    expect(stepEnd(r.trace, 'act')[0]!.error?.code).toBe('ADAPTER_NOT_CONFIGURED');
    expect(routes(r.trace)).toEqual(['act->n2 (on_error)']);
    expect(commandEvents(r.trace)).toEqual([expect.objectContaining({ command: 'systemctl restart -- nginx', executed: false, status: 'not_run' })]);
    expect(s.commands).toEqual([]);
    expect(s.not_run).toEqual([expect.objectContaining({ step: 'act', command: 'systemctl restart -- nginx', status: 'not_run', reason: expect.stringContaining('ADAPTER_NOT_CONFIGURED') })]);
    const audit = w.records.auditRows();
    expect(audit.map((a) => a.status)).toEqual(['pending_execution', 'not_run']);
    expect(audit[1]!.executedAt).toBeUndefined();
    // Nothing ran, so nothing cools down: a working shell runs the restart at once.
    const again = summarize(await run(pb, w));
    expect(again.outcome).toBe('succeeded');
    expect(again.commands).toEqual(['systemctl restart -- nginx', 'systemctl is-active -- nginx']);
    expect(w.shell.calls).toHaveLength(2);
  });

  it('a Shell that broke after sending (a timeout) counts as may-have-run, and the cooldown holds', async () => {
    const pb = compile(RESTART);
    const w = world({ shell: { 'systemctl restart -- nginx': { error: { code: 'SSH_TIMEOUT', message: 'no answer in 120 s' } } } });
    const r = await run(pb, w);
    expect(commandEvents(r.trace)).toEqual([expect.objectContaining({ executed: true, status: 'interrupted', note: expect.stringContaining('SSH_TIMEOUT') })]);
    expect(summarize(r).commands).toEqual(['systemctl restart -- nginx']);
    expect(w.records.auditRows().map((a) => a.status)).toEqual(['pending_execution', 'failure']);
    const second = await run(pb, w);
    expect(stepEnd(second.trace, 'act')[0]!.error?.code).toBe('INTENT_COOLDOWN');
  });

  it('a change-making intent that exits non-zero fails its step and takes on_error', async () => {
    const pb = compile(RESTART);
    const w = world({ shell: { 'systemctl restart -- nginx': { exitCode: 1, stderr: 'Job for nginx.service failed' } } });
    const r = await run(pb, w);
    const s = summarize(r);
    expect(stepEnd(r.trace, 'act')[0]).toMatchObject({ status: 'error', error: { code: 'COMMAND_FAILED', message: expect.stringContaining('exited with 1') } });
    expect(routes(r.trace)).toEqual(['act->n2 (on_error)']);
    expect(s.outcome).toBe('escalated');
    expect(s.commands).toEqual(['systemctl restart -- nginx']);
    expect(commandEvents(r.trace)).toEqual([expect.objectContaining({ executed: true, status: 'failed', exitCode: 1 })]);
    expect(w.records.auditRows().map((a) => a.status)).toEqual(['pending_execution', 'failure']);
  });

  it('an intent may declare other accepted exit codes', async () => {
    const catalog = loadCatalog(
      {
        file: 'catalog.yaml',
        content: 'flush:\n  description: Flush a cache; exit 2 means it was empty.\n  command: [cachectl, flush]\n  targets: none\n  risk: low\n  requires_approval: false\n  cooldown_seconds: 0\n  read_only: false\n  accepted_exit_codes: [0, 2]\n',
      },
      { file: 'targets.yaml', content: '' },
    );
    expect(catalog.diagnostics).toEqual([]);
    const loaded = loadPlaybook('flush.yaml', `${HEADER}steps:\n  - { id: act, use: intent.run, with: { intent: flush } }\n`, { ...CAPS, catalog: catalog.catalog });
    expect(loaded.diagnostics).toEqual([]);
    const pb = loaded.playbook!;
    const w = world({ shell: { 'cachectl flush': [{ exitCode: 2 }, { exitCode: 1 }] } });
    const ok = await run(pb, w, { catalog: catalog.catalog! });
    expect(ok.outcome).toBe('succeeded');
    expect(stepEnd(ok.trace, 'act')[0]!.output).toMatchObject({ ok: true, exit_code: 2 });
    const bad = await run(pb, w, { catalog: catalog.catalog! });
    expect(stepEnd(bad.trace, 'act')[0]!.error?.code).toBe('COMMAND_FAILED');
  });

  it('a read-only intent that exits non-zero reports it as data (verification), not as a failure', async () => {
    const pb = compile('steps:\n  - { id: verify, use: intent.run, with: { intent: service_status, target: nginx, host: web1 } }\n');
    const w = world({ shell: { 'systemctl is-active -- nginx': { exitCode: 3, stdout: 'failed' } } });
    const r = await run(pb, w);
    expect(r.outcome).toBe('succeeded');
    expect(stepEnd(r.trace, 'verify')[0]!.output).toMatchObject({ ok: false, exit_code: 3, stdout: 'failed' });
    expect(w.records.auditRows().map((a) => a.status)).toEqual(['pending_execution', 'failure']);
  });

  it('cooldowns are per intent, target and host: nginx on web1 does not hold back nginx on web2', async () => {
    const pb = compile(RESTART);
    const w = world();
    expect((await run(pb, w)).outcome).toBe('succeeded');
    const same = await run(pb, w);
    expect(stepEnd(same.trace, 'act')[0]!.error?.code).toBe('INTENT_COOLDOWN');
    const other = await run(pb, w, { event: { ...EVENT, host: 'web2', fingerprint: 'fp-2' } });
    expect(other.outcome).toBe('succeeded');
    expect(w.shell.calls.map((c) => c.host)).toEqual(['web1', 'web1', 'web2', 'web2']);
    expect(await w.state.get('cooldown:restart_service:nginx@web1')).not.toBeNull();
  });

  it('the shell adapters that know nothing was sent say so by contract', async () => {
    const shell: Shell = new UnconfiguredShell();
    const e = await shell.exec({ host: 'web1', argv: ['true'], timeoutMs: 1000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect(e).toMatchObject({ code: 'ADAPTER_NOT_CONFIGURED', details: { started: false } });
    // No environment variable turns it on in this release: the message must not suggest one.
    expect((e as Error).message).not.toMatch(/\bset [A-Z_]+/);
  });
});

describe("a command's output", () => {
  it('is scrubbed of secrets before the run, its journal, audit or trace see it', async () => {
    const pb = compile(`
steps:
  - { id: logs, use: intent.run, with: { intent: collect_logs, target: nginx, host: web1 } }
`);
    const w = world({ shell: { 'journalctl --no-pager -n 200 -u nginx': { exitCode: 0, stdout: 'started with DB_PASSWORD=hunter2 and postgres://app:pw@db/x', stderr: 'Authorization: Bearer abcdefghijklmnop' } } });
    const r = await run(pb, w);
    const out = stepEnd(r.trace, 'logs')[0]!.output as { stdout: string; stderr: string };
    expect(out.stdout).toBe('started with DB_PASSWORD=[REDACTED] and postgres://app:[REDACTED]@db/x');
    expect(out.stderr).toBe('Authorization: Bearer [REDACTED]');
    expect(JSON.stringify(w.records.auditRows())).not.toMatch(/hunter2|abcdefghijklmnop/);
  });
});
