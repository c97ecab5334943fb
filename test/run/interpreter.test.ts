import { describe, expect, it } from 'vitest';
import { summarize } from '../../engine/run/result.ts';
import type { Tools } from '../../engine/ports/tools.ts';
import { compile, EVENT, routes, run, stepEnd, world } from './harness.ts';

describe('runPlaybook: control flow', () => {
  it('for_each runs its steps per item, with the as: name and index, and collects one row per item', async () => {
    const pb = compile(`
vars: { items: [nginx, php] }
steps:
  - id: each
    for_each: vars.items
    as: svc
    steps:
      - id: show
        use: value
        with: { name: "\${svc}", i: "\${index}" }
      - id: again
        use: value
        with: { echo: "\${show.name}" }
  - id: after
    use: value
    with: { count: "\${each}" }
`);
    const r = await run(pb, world(), { event: EVENT });
    expect(r.outcome).toBe('succeeded');
    const each = stepEnd(r.trace, 'each')[0]!;
    expect(each.output).toEqual([
      { show: { name: 'nginx', i: 0 }, again: { echo: 'nginx' } },
      { show: { name: 'php', i: 1 }, again: { echo: 'php' } },
    ]);
    expect(stepEnd(r.trace, 'show').map((e) => e.output)).toEqual([{ name: 'nginx', i: 0 }, { name: 'php', i: 1 }]);
  });

  it('for_each defaults as: to item and fails with FOR_EACH_NOT_LIST on a non-list', async () => {
    // The items come from vars: a webhook event has no field items (lint checks event.* against its schema).
    const withItems = (items: string) =>
      compile(`
vars: { items: ${items} }
steps:
  - id: each
    for_each: vars.items
    steps:
      - { id: show, use: value, with: { v: "\${item}" } }
`);
    expect(stepEnd((await run(withItems('[7]'), world(), { event: EVENT })).trace, 'each')[0]!.output).toEqual([{ show: { v: 7 } }]);
    const bad = await run(withItems('nope'), world(), { event: EVENT });
    expect(bad.outcome).toBe('failed');
    expect(stepEnd(bad.trace, 'each')[0]!.error?.code).toBe('FOR_EACH_NOT_LIST');
  });

  it('parallel writes each branch output under its id and the step output as a map', async () => {
    const pb = compile(`
steps:
  - id: par
    parallel:
      - { id: a, use: value, with: { x: 1 } }
      - { id: b, use: value, with: { y: "two" } }
  - id: use_them
    use: value
    with: { x: "\${a.x}", y: "\${par.b.y}" }
`);
    const r = await run(pb, world());
    expect(r.outcome).toBe('succeeded');
    expect(stepEnd(r.trace, 'par')[0]!.output).toEqual({ a: { x: 1 }, b: { y: 'two' } });
    expect(stepEnd(r.trace, 'use_them')[0]!.output).toEqual({ x: 1, y: 'two' });
  });

  const SWITCH = `
steps:
  - id: route
    switch: event.kind
    cases: { disk: disk, cpu: cpu }
    DEFAULT
    on_error: handler
  - id: disk
    use: value
    with: { went: disk }
    next: end
  - id: cpu
    use: value
    with: { went: cpu }
    next: end
  - id: other
    use: value
    with: { went: other }
    next: end
  - id: handler
    use: value
    with: { code: "\${error.code}", step: "\${error.step}" }
`;

  it('switch jumps to the matching case and next: end stops the run', async () => {
    const pb = compile(SWITCH.replace('DEFAULT', 'default: other'));
    const r = await run(pb, world(), { event: { ...EVENT, kind: 'cpu' } });
    expect(r.outcome).toBe('succeeded');
    expect(r.path).toEqual(['route', 'cpu']);
    expect(routes(r.trace)).toEqual(['route->cpu (switch)', 'cpu->end (next)']);
  });

  it('switch falls back to default: when no case matches', async () => {
    const pb = compile(SWITCH.replace('DEFAULT', 'default: other'));
    const r = await run(pb, world(), { event: { ...EVENT, kind: 'memory' } });
    expect(r.path).toEqual(['route', 'other']);
    expect(stepEnd(r.trace, 'other')[0]!.output).toEqual({ went: 'other' });
  });

  it('switch with no matching case and no default fails with SWITCH_NO_CASE, routed by on_error', async () => {
    const pb = compile(SWITCH.replace('DEFAULT', ''));
    const r = await run(pb, world(), { event: { ...EVENT, kind: 'memory' } });
    expect(stepEnd(r.trace, 'route')[0]!.error?.code).toBe('SWITCH_NO_CASE');
    expect(routes(r.trace)).toEqual(['route->handler (on_error)']);
    expect(r.path).toEqual(['route', 'handler']);
    expect(stepEnd(r.trace, 'handler')[0]!.output).toEqual({ code: 'SWITCH_NO_CASE', step: 'route' });
    expect(r.outcome).toBe('succeeded');
  });

  it('playbook on_error catches a failing step; a step on_error overrides it, and error.code is visible there', async () => {
    const body = (stepRoute: string) => `
on_error: global
steps:
  - id: boom
    use: tool.call
    with: { name: broken, read_only: true }
    ${stepRoute}
  - id: unreached
    use: value
    with: { x: 1 }
  - id: local
    use: value
    with: { code: "\${error.code}", message: "\${error.message}" }
    next: end
  - id: global
    use: value
    with: { code: "\${error.code}", from: "\${error.step}" }
`;
    const tools = { broken: { error: { code: 'TOOL_DOWN', message: 'it broke' } } };
    const g = await run(compile(body('')), world({ tools }));
    expect(g.path).toEqual(['boom', 'global']);
    expect(stepEnd(g.trace, 'global')[0]!.output).toEqual({ code: 'TOOL_DOWN', from: 'boom' });

    const l = await run(compile(body('on_error: local')), world({ tools }));
    expect(l.path).toEqual(['boom', 'local']);
    expect(routes(l.trace)).toEqual(['boom->local (on_error)', 'local->end (next)']);
    expect(stepEnd(l.trace, 'local')[0]!.output).toEqual({ code: 'TOOL_DOWN', message: 'it broke' });
  });

  it('a failing step with no on_error fails the run with its code', async () => {
    const pb = compile(`
steps:
  - { id: boom, use: tool.call, with: { name: broken, read_only: true } }
  - { id: unreached, use: value, with: { x: 1 } }
`);
    const r = await run(pb, world({ tools: { broken: { error: { code: 'TOOL_DOWN', message: 'it broke' } } } }));
    expect(r.outcome).toBe('failed');
    expect(r.reason).toBe('boom: TOOL_DOWN: it broke');
    expect(r.path).toEqual(['boom']);
  });

  it('a next: loop is stopped by maxSteps with STEP_LIMIT and the run fails', async () => {
    const pb = compile(`
steps:
  - id: spin
    use: value
    with: { x: 1 }
    next: spin
`);
    const r = await run(pb, world(), { maxSteps: 5 });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/^STEP_LIMIT: more than 5 steps ran/);
    expect(r.path).toEqual(Array(5).fill('spin'));
    expect(r.trace.at(-1)).toMatchObject({ type: 'run.end', outcome: 'failed' });
  });

  it('a step timeout: fires on the injected clock with STEP_TIMEOUT and follows on_error', async () => {
    const pb = compile(`
steps:
  - id: slow
    use: tool.call
    with: { name: hang, read_only: true }
    timeout: 5s
    on_error: fallback
  - id: fallback
    use: value
    with: { code: "\${error.code}" }
`);
    const w = world();
    let signal: AbortSignal | undefined;
    let key: string | undefined;
    const hanging: Tools = {
      call: (_name, _args, options) => {
        signal = options?.signal;
        key = options?.key;
        return new Promise(() => {});
      },
    };
    const pending = run(pb, w, { ports: { tools: hanging } });
    for (let i = 0; i < 100 && w.clock.pendingTimers() === 0; i++) await Promise.resolve();
    expect(w.clock.pendingTimers()).toBe(1);
    // The adapter gets the effect id as its idempotency key.
    expect(key).toMatch(/^run_\w+\/slow\/1\/1$/);
    w.clock.advance(4999);
    await Promise.resolve();
    expect(signal?.aborted).toBe(false);
    w.clock.advance(1);
    const r = await pending;
    expect(signal?.aborted).toBe(true);
    const slow = stepEnd(r.trace, 'slow')[0]!;
    expect(slow.status).toBe('error');
    expect(slow.error?.code).toBe('STEP_TIMEOUT');
    expect(slow.durationMs).toBe(5000);
    expect(routes(r.trace)).toEqual(['slow->fallback (on_error)']);
    expect(stepEnd(r.trace, 'fallback')[0]!.output).toEqual({ code: 'STEP_TIMEOUT' });
    expect(r.outcome).toBe('succeeded');
  });
});

describe('runPlaybook: gates', () => {
  const STEPS = `
steps:
  - { id: act, use: value, with: { x: 1 } }
`;

  it('circuit: a state key at an open_when value skips the run with "circuit open"', async () => {
    const pb = compile(`
gates:
  - circuit: { key: glpi_health, open_when: [down, degraded] }
${STEPS}`);
    const w = world();
    const closed = summarize(await run(pb, w));
    expect(closed.outcome).toBe('succeeded');
    expect(closed.gates[0]).toMatchObject({ gate: 'circuit', verdict: 'pass' });

    await w.state.set('glpi_health', 'down');
    const open = summarize(await run(pb, w));
    expect(open.outcome).toBe('skipped');
    expect(open.gates).toEqual([{ gate: 'circuit', verdict: 'refuse', reason: 'circuit open: glpi_health=down' }]);
    expect(open.path).toEqual([]);
    expect(open.reason).toMatch(/^circuit: circuit open/);
  });

  it('cooldown without for: only reads the mark (set by intent.run or others)', async () => {
    const pb = compile(`
gates:
  - cooldown: { key: event.service }
${STEPS}`);
    const w = world();
    expect((await run(pb, w)).outcome).toBe('succeeded');
    expect((await run(pb, w)).outcome).toBe('succeeded');
    await w.state.set('cooldown:nginx', 'someone', 60_000);
    const r = summarize(await run(pb, w));
    expect(r.outcome).toBe('skipped');
    expect(r.gates[0]!.verdict).toBe('refuse');
    expect(r.gates[0]!.reason).toContain('"nginx" acted on recently; 1m left');
    w.clock.advance(60_000);
    expect((await run(pb, w)).outcome).toBe('succeeded');
  });

  it('cooldown with for: marks the key when it lets an event through and refuses until it expires', async () => {
    const pb = compile(`
gates:
  - cooldown: { key: event.service, for: 10m }
${STEPS}`);
    const w = world();
    expect((await run(pb, w)).outcome).toBe('succeeded');
    const second = summarize(await run(pb, w));
    expect(second.outcome).toBe('skipped');
    expect(second.gates[0]!.reason).toBe('"nginx" is cooling down (10m)');
    expect((await run(pb, w, { event: { ...EVENT, service: 'php' } })).outcome).toBe('succeeded');
    w.clock.advance(10 * 60_000);
    expect((await run(pb, w)).outcome).toBe('succeeded');
  });

  it('maintenance windows: refuse inside the window for listed hosts only, pass outside it', async () => {
    const pb = compile(`
gates:
  - maintenance:
      windows:
        - { from: "2025-03-03T09:00:00Z", to: "2025-03-03T11:00:00Z", hosts: [web1], reason: kernel upgrade }
${STEPS}`);
    const inside = summarize(await run(pb, world()));
    expect(inside.outcome).toBe('skipped');
    expect(inside.gates[0]).toEqual({ gate: 'maintenance', verdict: 'refuse', reason: 'maintenance window until 2025-03-03T11:00:00.000Z: kernel upgrade' });

    const otherHost = summarize(await run(pb, world(), { event: { ...EVENT, host: 'web2' } }));
    expect(otherHost.outcome).toBe('succeeded');
    expect(otherHost.gates[0]!.verdict).toBe('pass');

    const before = summarize(await run(pb, world({ now: '2025-03-03T08:59:59Z' })));
    expect(before.outcome).toBe('succeeded');
    // The window's end is exclusive.
    const atEnd = summarize(await run(pb, world({ now: '2025-03-03T11:00:00Z' })));
    expect(atEnd.outcome).toBe('succeeded');
  });

  it('a window with no hosts: applies to every host', async () => {
    const pb = compile(`
gates:
  - maintenance:
      windows:
        - { from: "2025-03-03T09:00:00Z", to: "2025-03-03T11:00:00Z" }
${STEPS}`);
    expect((await run(pb, world(), { event: { ...EVENT, host: 'anything' } })).outcome).toBe('skipped');
  });
});

describe('runPlaybook: intents', () => {
  const RESTART = `
steps:
  - id: act
    use: intent.run
    with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", source: test }
`;

  it('intent.run executes once, then refuses the same target within cooldown_seconds (INTENT_COOLDOWN)', async () => {
    const pb = compile(RESTART);
    const w = world();
    const first = summarize(await run(pb, w));
    expect(first.outcome).toBe('succeeded');
    expect(first.commands).toEqual(['systemctl restart -- nginx', 'systemctl is-active -- nginx']);
    // The restart, then its verification.
    expect(w.shell.calls).toHaveLength(2);

    w.clock.advance(299_000);
    const second = summarize(await run(pb, w));
    expect(second.outcome).toBe('failed');
    expect(stepEnd(second.trace, 'act')[0]!.error?.code).toBe('INTENT_COOLDOWN');
    expect(second.refusals).toEqual([{ step: 'act', code: 'COOLDOWN', reason: 'restart_service on nginx at web1 ran less than 300s ago' }]);
    expect(w.shell.calls).toHaveLength(2);

    // Another target is not cooling down; the same target is free again after the cooldown.
    expect((await run(pb, w, { event: { ...EVENT, service: 'postgresql' } })).outcome).toBe('succeeded');
    w.clock.advance(1000);
    expect((await run(pb, w)).outcome).toBe('succeeded');
    expect(w.shell.calls).toHaveLength(6);
  });

  it('shadow mode records a changing intent without executing it; the audit row is shadowed', async () => {
    const pb = compile(RESTART);
    const w = world();
    const r = await run(pb, w, { shadow: true });
    expect(r.outcome).toBe('succeeded');
    expect(w.shell.calls).toEqual([]);
    const command = r.trace.find((e) => e.type === 'command');
    expect(command).toMatchObject({ command: 'systemctl restart -- nginx', executed: false, note: 'shadow mode: not executed' });
    expect(stepEnd(r.trace, 'act')[0]!.output).toMatchObject({ ok: true, shadowed: true });
    const rows = w.records.auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'shadowed', shadow: true, intent: 'restart_service', target: 'nginx', decisionSource: 'test' });
    // Shadow mode takes no cooldown: the next real run is not refused (the restart and its verification).
    expect((await run(pb, w)).outcome).toBe('succeeded');
    expect(w.shell.calls).toHaveLength(2);
  });

  it('a playbook with shadow: true is in shadow mode on its own', async () => {
    const pb = compile(`shadow: true\n${RESTART}`);
    const w = world();
    const r = await run(pb, w);
    expect(r.trace[0]).toMatchObject({ type: 'run.start', shadow: true });
    expect(w.shell.calls).toEqual([]);
    expect(w.records.auditRows()[0]!.status).toBe('shadowed');
  });
});

describe('runPlaybook: trace', () => {
  it('masks a with: key named password, in the input and the output', async () => {
    const pb = compile(`
steps:
  - id: login
    use: value
    with: { user: bob, password: "\${event.labels.pw}" }
`);
    const r = await run(pb, world(), { event: { ...EVENT, labels: { pw: 'hunter2-secret' } } });
    const start = r.trace.find((e) => e.type === 'step.start' && e.step === 'login');
    expect(start).toMatchObject({ input: { user: 'bob', password: '[REDACTED]' } });
    expect(stepEnd(r.trace, 'login')[0]!.output).toEqual({ user: 'bob', password: '[REDACTED]' });
    expect(JSON.stringify(r.trace.filter((e) => e.type !== 'run.start'))).not.toContain('hunter2');
  });

  it('masks known secret values anywhere in the trace', async () => {
    const pb = compile(`
steps:
  - { id: say, use: value, with: { text: "token is \${event.labels.pw}" } }
`);
    const r = await run(pb, world(), { event: { ...EVENT, labels: { pw: 's3cr3t-value' } }, secrets: ['s3cr3t-value'] });
    expect(JSON.stringify(r.trace)).not.toContain('s3cr3t-value');
    expect(stepEnd(r.trace, 'say')[0]!.output).toEqual({ text: 'token is [REDACTED]' });
  });

  it('is deterministic: the same playbook, event and fixtures give identical JSON traces', async () => {
    const pb = compile(`
gates:
  - dedup: { key: event.fingerprint, for: 20m }
  - rate: { key: event.service, max: 3, per: 1h }
on_error: fallback
steps:
  - id: ctx
    parallel:
      - { id: hits, use: memory.search, with: { text: "\${event.message}", top: 2 } }
      - { id: status, use: tool.call, with: { name: status, read_only: true } }
  - id: each
    for_each: "[1, 2]"
    steps:
      - { id: double, use: value, with: { v: "\${item * 2}" } }
  - id: act
    use: intent.run
    with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}" }
  - id: verdict
    decide:
      - when: act.ok
        then: DONE
      - else: FAILED
  - id: route
    switch: verdict
    cases: { DONE: end, FAILED: fallback }
  - id: fallback
    use: value
    with: { why: "\${default(error.code, 'none')}" }
`);
    const once = async () => {
      const w = world({
        tools: { status: { up: false } },
        memory: [{ id: 'm1', text: 'nginx down', score: 0.9, intent: 'restart_service', target: 'nginx', success: true, risk: 'low' }],
        shell: { 'systemctl restart -- nginx': { exitCode: 0, stdout: 'ok' } },
      });
      const r = await run(pb, w);
      return { trace: JSON.stringify(r.trace), audit: JSON.stringify(w.records.auditRows()), r };
    };
    const a = await once();
    const b = await once();
    expect(a.r.outcome).toBe('succeeded');
    expect(a.r.decision).toBe('DONE');
    expect(a.trace).toBe(b.trace);
    expect(a.audit).toBe(b.audit);
  });
});
