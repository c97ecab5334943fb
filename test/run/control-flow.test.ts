import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import type { Tools } from '../../engine/ports/tools.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { readFileSync } from 'node:fs';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import { CAPS, compile, EVENT, HEADER, ROOT, routes, run, stepEnd, TEST_TOOLS, world } from './harness.ts';

const lint = (body: string) => loadPlaybook('inline.yaml', HEADER + body, CAPS).diagnostics.map(formatDiagnostic);

describe('groups: a sequence run as one step', () => {
  it('runs its steps in order; its output maps them, and later steps read them by id', async () => {
    const pb = compile(`
steps:
  - id: prepare
    steps:
      - { id: a, use: value, with: { x: 1 } }
      - { id: b, use: value, with: { y: "\${a.x}" } }
  - { id: after, use: value, with: { y: "\${b.y}", all: "\${prepare.a.x}" } }
`);
    const r = await run(pb, world());
    expect(r.outcome).toBe('succeeded');
    expect(r.path).toEqual(['prepare', 'a', 'b', 'after']);
    expect(stepEnd(r.trace, 'prepare')[0]!.output).toEqual({ a: { x: 1 }, b: { y: 1 } });
    expect(stepEnd(r.trace, 'after')[0]!.output).toEqual({ y: 1, all: 1 });
  });

  it('jumps stay inside it: next: end ends the group, not the run, and a switch picks a step of the group', async () => {
    const pb = compile(`
steps:
  - id: g
    steps:
      - id: pick
        switch: event.service
        cases: { nginx: web }
        default: other
      - { id: other, use: value, with: { went: other }, next: end }
      - { id: web, use: value, with: { went: web }, next: end }
      - { id: never, use: value, with: { x: 1 } }
  - { id: after, use: value, with: { went: "\${g.web.went}" } }
`);
    const r = await run(pb, world());
    expect(r.path).toEqual(['g', 'pick', 'web', 'after']);
    expect(routes(r.trace)).toEqual(['pick->web (switch)', 'web->end (next)']);
    expect(stepEnd(r.trace, 'after')[0]!.output).toEqual({ went: 'web' });
  });

  it('a failed step inside routes by its own on_error: to a step of the group; unrouted, the group fails and takes its on_error:', async () => {
    const tools = { broken: { error: { code: 'TOOL_DOWN', message: 'it broke' } } };
    const inner = await run(
      compile(`
steps:
  - id: g
    steps:
      - { id: boom, use: tool.call, with: { name: broken, read_only: true }, on_error: mend }
      - { id: skipped, use: value, with: { x: 1 }, next: end }
      - { id: mend, use: value, with: { code: "\${error.code}", step: "\${error.step}" } }
`),
      world({ tools }),
    );
    expect(inner.outcome).toBe('succeeded');
    expect(inner.path).toEqual(['g', 'boom', 'mend']);
    expect(stepEnd(inner.trace, 'mend')[0]!.output).toEqual({ code: 'TOOL_DOWN', step: 'boom' });

    const outer = await run(
      compile(`
steps:
  - id: g
    steps:
      - { id: boom, use: tool.call, with: { name: broken, read_only: true } }
    on_error: fallback
  - { id: unreached, use: value, with: { x: 1 } }
  - { id: fallback, use: value, with: { code: "\${error.code}", step: "\${error.step}", message: "\${error.message}" } }
`),
      world({ tools }),
    );
    expect(outer.path).toEqual(['g', 'boom', 'fallback']);
    expect(stepEnd(outer.trace, 'fallback')[0]!.output).toEqual({ code: 'TOOL_DOWN', step: 'g', message: 'boom: it broke' });
  });

  it('a group is a parallel branch: each branch runs its own sequence', async () => {
    const pb = compile(`
steps:
  - id: par
    parallel:
      - id: left
        steps:
          - { id: l1, use: value, with: { v: 1 } }
          - { id: l2, use: value, with: { v: "\${l1.v}" } }
      - { id: right, use: value, with: { v: 2 } }
`);
    const r = await run(pb, world());
    expect(r.outcome).toBe('succeeded');
    expect(stepEnd(r.trace, 'par')[0]!.output).toEqual({ left: { l1: { v: 1 }, l2: { v: 1 } }, right: { v: 2 } });
  });

  it('lint: a jump out of a group or a for_each body is located, with the ids it may use', () => {
    const out = lint(`
steps:
  - id: g
    steps:
      - { id: a, use: value, with: { x: 1 }, next: after }
  - { id: after, use: value, with: { x: 1 } }
`);
    expect(out).toEqual([expect.stringMatching(/^inline\.yaml:9:52: STEP_UNKNOWN_REF: next: of a goes to "after", which is not a step of g \(or end\)/)]);
  });

  it('lint: a parallel branch cannot jump; it is told to use a group or on_branch_error', () => {
    const out = lint(`
steps:
  - id: par
    parallel:
      - { id: a, use: value, with: { x: 1 }, on_error: b }
      - { id: b, use: value, with: { x: 1 } }
`);
    expect(out.join('\n')).toMatch(/STEP_UNKNOWN_REF: step a is a parallel branch and cannot jump .*on_branch_error: continue/);
  });
});

describe('errors per item and per branch', () => {
  const tools = { check_a: { ok: 1 }, check_b: { error: { code: 'TICKET_BAD', message: 'ticket b is malformed' } }, check_c: { ok: 3 } };
  const loop = (policy: string) => `
vars: { tickets: [a, b, c] }
steps:
  - id: each
    for_each: vars.tickets
    as: ticket
    ${policy}
    steps:
      - { id: check, use: tool.call, with: { name: "check_\${ticket}", read_only: true } }
  - { id: after, use: value, with: { rows: "\${each}" } }
`;

  it('on_item_error: continue collects a failed item with its error and goes on with the others', async () => {
    const w = world({ tools });
    const r = await run(compile(loop('on_item_error: continue')), w);
    expect(r.outcome).toBe('succeeded');
    expect(w.tools.calls.map((c) => c.name)).toEqual(['check_a', 'check_b', 'check_c']);
    expect(stepEnd(r.trace, 'each')[0]!.output).toEqual([
      { check: { result: { ok: 1 }, shadowed: false } },
      { check: null, error: { step: 'check', code: 'TICKET_BAD', message: 'ticket b is malformed' } },
      { check: { result: { ok: 3 }, shadowed: false } },
    ]);
  });

  it('by default one failed item fails the loop, named with its index', async () => {
    const w = world({ tools });
    const r = await run(compile(loop('')), w);
    expect(r.outcome).toBe('failed');
    expect(w.tools.calls.map((c) => c.name)).toEqual(['check_a', 'check_b']);
    expect(r.reason).toBe('each: TICKET_BAD: item 1: check: ticket b is malformed');
  });

  it('a switch inside a loop body jumps between the body steps of each item', async () => {
    const pb = compile(`
vars: { kinds: [disk, cpu] }
steps:
  - id: each
    for_each: vars.kinds
    as: kind
    steps:
      - id: pick
        switch: kind
        cases: { disk: clean }
        default: look
      - { id: clean, use: value, with: { did: "clean \${kind}" }, next: end }
      - { id: look, use: value, with: { did: "look \${kind}" } }
`);
    const r = await run(pb, world());
    expect(stepEnd(r.trace, 'each')[0]!.output).toEqual([
      { pick: 'disk', clean: { did: 'clean disk' } },
      { pick: 'cpu', look: { did: 'look cpu' } },
    ]);
  });

  it('on_branch_error: continue keeps the other branches and puts the error under the failed one', async () => {
    const pb = compile(`
steps:
  - id: par
    on_branch_error: continue
    parallel:
      - { id: good, use: tool.call, with: { name: check_a, read_only: true } }
      - { id: bad, use: tool.call, with: { name: check_b, read_only: true } }
  - { id: after, use: value, with: { code: "\${bad.error.code}" } }
`);
    const r = await run(pb, world({ tools }));
    expect(r.outcome).toBe('succeeded');
    expect(stepEnd(r.trace, 'par')[0]!.output).toEqual({
      good: { result: { ok: 1 }, shadowed: false },
      bad: { error: { step: 'bad', code: 'TICKET_BAD', message: 'ticket b is malformed' } },
    });
    expect(stepEnd(r.trace, 'after')[0]!.output).toEqual({ code: 'TICKET_BAD' });
  });

  it('lint: on_item_error: belongs to for_each, on_branch_error: to parallel', () => {
    const out = lint(`
steps:
  - { id: a, use: value, with: { x: 1 }, on_item_error: continue }
`);
    expect(out.join('\n')).toMatch(/SCHEMA: on_item_error: belongs to a for_each: step, not a use: step/);
  });
});

describe('composite steps', () => {
  it('timeout: on a for_each bounds its whole body on the injected clock', async () => {
    const pb = compile(`
vars: { items: [1, 2] }
steps:
  - id: each
    for_each: vars.items
    timeout: 3s
    steps:
      - { id: slow, use: tool.call, with: { name: hang, read_only: true } }
    on_error: fallback
  - { id: fallback, use: value, with: { code: "\${error.code}", message: "\${error.message}" } }
`);
    const w = world();
    const hanging: Tools = { call: () => new Promise(() => {}) };
    const pending = run(pb, w, { ports: { tools: hanging } });
    for (let i = 0; i < 100 && w.clock.pendingTimers() === 0; i++) await Promise.resolve();
    w.clock.advance(3000);
    const r = await pending;
    expect(stepEnd(r.trace, 'each')[0]).toMatchObject({ status: 'error', durationMs: 3000, error: { code: 'STEP_TIMEOUT' } });
    expect(stepEnd(r.trace, 'fallback')[0]!.output).toEqual({ code: 'STEP_TIMEOUT', message: 'item 0: slow: each: no answer within 3000 ms' });
  });

  it("a tool call is bounded by the catalog's timeout_seconds, which a longer step timeout: cannot raise", async () => {
    const pb = compile(`
steps:
  - { id: slow, use: tool.call, with: { name: hang, read_only: true }, timeout: 10m, on_error: fallback }
  - { id: fallback, use: value, with: { message: "\${error.message}" } }
`);
    const w = world();
    const hanging: Tools = { call: () => new Promise(() => {}) };
    const pending = run(pb, w, { ports: { tools: hanging } });
    for (let i = 0; i < 100 && w.clock.pendingTimers() === 0; i++) await Promise.resolve();
    w.clock.advance(TEST_TOOLS['hang']!.timeoutSeconds * 1000);
    const r = await pending;
    expect(stepEnd(r.trace, 'fallback')[0]!.output).toEqual({ message: `slow: no answer within ${TEST_TOOLS['hang']!.timeoutSeconds * 1000} ms` });
  });

  it("an intent.run step leaves its command the intent's timeout_seconds (a restart: 120 s), not the 60 s default; on the deadline the command is traced as interrupted and its audit row written", async () => {
    const pb = compile(`
steps:
  - { id: fix, use: intent.run, with: { intent: restart_service, target: nginx, host: web1 }, on_error: fallback }
  - { id: fallback, use: value, with: { code: "\${error.code}" } }
`);
    const w = world();
    const hanging: Partial<Ports> = { shell: { exec: () => new Promise(() => {}) } };
    const pending = run(pb, w, { ports: hanging });
    const timerSet = async () => {
      for (let i = 0; i < 200 && w.clock.pendingTimers() === 0; i++) await Promise.resolve();
    };
    await timerSet();
    w.clock.advance(61_000);
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(w.clock.pendingTimers()).toBeGreaterThan(0); // still running past the default 60 s
    w.clock.advance(150_000 - 61_000);
    const r = await pending;
    expect(stepEnd(r.trace, 'fallback')[0]!.output).toEqual({ code: 'STEP_TIMEOUT' });
    expect(r.trace.filter((e) => e.type === 'command')).toEqual([expect.objectContaining({ status: 'interrupted', executed: true, command: 'systemctl restart -- nginx' })]);
    expect(w.records.auditView()).toEqual([expect.objectContaining({ intent: 'restart_service', validatedCommand: 'systemctl restart -- nginx', status: 'failure' })]);
  });

  it("the run's decision is the top-level table's, not a nested one's made later", async () => {
    const pb = compile(`
vars: { items: [1] }
steps:
  - id: top
    decide:
      - { when: "true", then: AUTO_EXECUTE }
      - { else: ESCALATE_N2 }
  - id: each
    for_each: vars.items
    steps:
      - id: inner
        decide:
          - { when: "true", then: SKIP }
          - { else: SKIP }
`);
    const r = await run(pb, world(), { event: EVENT });
    expect(r.decision).toBe('AUTO_EXECUTE');
    expect(r.trace.filter((e) => e.type === 'decision').map((e) => (e as { then: string }).then)).toEqual(['AUTO_EXECUTE', 'SKIP']);
  });
});

describe('shadow mode is the driver', () => {
  it('state.set writes nothing in shadow mode, and says so', async () => {
    const pb = compile(`
steps:
  - { id: flag, use: state.set, with: { key: glpi_health_status, value: down, ttl: 60s } }
`);
    const w = world();
    const r = await run(pb, w, { shadow: true });
    expect(stepEnd(r.trace, 'flag')[0]!.output).toEqual({ key: 'glpi_health_status', shadowed: true });
    expect(await w.state.get('glpi_health_status')).toBeNull();
    const live = await run(pb, w);
    expect(stepEnd(live.trace, 'flag')[0]!.output).toEqual({ key: 'glpi_health_status' });
    expect(await w.state.get('glpi_health_status')).toBe('down');
  });
});

describe('lint: names a step may not take or read', () => {
  it('a step id that hides a built-in name is an error at the id', () => {
    expect(lint(`
steps:
  - { id: event, use: value, with: { x: 1 } }
`)).toEqual([expect.stringMatching(/^inline\.yaml:7:\d+: STEP_ID_RESERVED: step id "event" would hide the built-in name event: choose another id$/)]);
    expect(lint(`
steps:
  - id: each
    for_each: vars.items
    steps:
      - { id: item, use: value, with: { x: 1 } }
vars: { items: [1] }
`).join('\n')).toMatch(/STEP_ID_RESERVED: step id "item"/);
  });

  it('a template that would render an object or a list inside text is an error at the piece; a field, a one-value table or string() is fine', () => {
    const out = lint(`
steps:
  - { id: diag, use: value, with: { text: "x", n: 1 } }
  - { id: pick, decide: [{ when: "diag.n > 0", then: A }, { else: B }] }
  - { id: both, decide: [{ when: "diag.n > 0", then: { r: a, c: 1 } }, { else: { r: b, c: 2 } }] }
  - id: say
    use: value
    with:
      bad1: "Diagnosis: \${diag}"
      bad2: "Labels: \${event.labels} for \${event}"
      bad3: "\${both} and \${split(diag.text, ',')}"
      ok1: "Diagnosis: \${diag.text} (\${pick}), \${both.r}"
      ok2: "\${diag}"
      ok3: "JSON: \${string(diag)}"
`);
    expect(out).toEqual([
      'inline.yaml:13:27: EXPR_OBJECT_IN_TEXT: ${diag} is an object or a list, not text: inside this text it would read "[object Object]" or its items joined by commas (name the field you mean, or write string(x) for its JSON)',
      expect.stringMatching(/^inline\.yaml:14:44: EXPR_OBJECT_IN_TEXT: \$\{event\} is an object/),
      expect.stringMatching(/^inline\.yaml:15:16: EXPR_OBJECT_IN_TEXT: \$\{both\} is an object/),
      expect.stringMatching(/^inline\.yaml:15:28: EXPR_OBJECT_IN_TEXT: \$\{split\(diag.text, ','\)\} is an object/),
    ]);
  });

  it('a step of a loop body read from outside the loop is an error that says why; inside the loop it is fine', () => {
    const out = lint(`
vars: { items: [1, 2] }
steps:
  - id: each
    for_each: vars.items
    steps:
      - { id: check, use: value, with: { v: "\${item}" } }
      - { id: again, use: value, with: { v: "\${check.v}" } }
  - { id: after, use: value, with: { v: "\${check.v}" } }
`);
    expect(out).toEqual([expect.stringMatching(/^inline\.yaml:13:\d+: STEP_OUT_OF_LOOP: step check runs inside the for_each each: its output exists only within each item; read each \(one row per item\) instead$/)]);
  });
});

describe('lint: alert text never chooses a target (design rule 5)', () => {
  it('warns when an intent target or a tool argument is computed from the event message or labels', () => {
    const out = lint(`
steps:
  - { id: fix, use: intent.run, with: { intent: restart_service, target: "\${event.message}", host: "\${event.host}" } }
  - { id: ask, use: tool.call, with: { name: probe, read_only: true, args: { user: "\${event.labels.user}" } } }
  - { id: ok, use: intent.run, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}" } }
`);
    expect(out).toEqual([
      expect.stringMatching(/^inline\.yaml:7:\d+: warning: FREE_TEXT_TARGET: target is computed from event\.message, free text/),
      expect.stringMatching(/^inline\.yaml:8:\d+: warning: FREE_TEXT_TARGET: argument user of probe is computed from event\.labels/),
    ]);
  });

  it("also from a ticket's text or a model's answer; a tool's text: fields are meant for it", () => {
    const tools = loadToolCatalog({ file: 'tools/catalog.yaml', content: readFileSync(`${ROOT}tools/catalog.yaml`) }).catalog!;
    const out = loadPlaybook('inline.yaml', HEADER + `
vars: { tickets: [] }
steps:
  - { id: read, use: llm.ask, with: { role: support, model: m, prompt: diagnostician, output: { type: object, properties: { user: { type: string } } } } }
  - id: each
    for_each: vars.tickets
    as: ticket
    steps:
      - { id: unlock, use: tool.call, with: { name: ad_unlock_account, args: { username: "\${ticket.content}" } } }
      - { id: unlock2, use: tool.call, with: { name: ad_unlock_account, args: { username: "\${read.user}" } } }
      - { id: unlock3, use: tool.call, with: { name: ad_unlock_account, args: { username: "\${ticket.requester.login}" } } }
      - { id: note, use: tool.call, with: { name: glpi_add_followup, args: { ticket_id: 1, content: "\${ticket.content} \${read.user}" } } }
`, { ...CAPS, tools }).diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      expect.stringMatching(/^inline\.yaml:13:\d+: warning: FREE_TEXT_TARGET: argument username of ad_unlock_account is computed from ticket\.content, free text/),
      expect.stringMatching(/^inline\.yaml:14:\d+: warning: FREE_TEXT_TARGET: argument username of ad_unlock_account is computed from read \(a model's answer\)/),
    ]);
  });
});

describe('for_each concurrency', () => {
  const loop = (concurrency: number) => `
vars: { tickets: [a, b, c] }
steps:
  - id: each
    for_each: vars.tickets
    as: ticket
    concurrency: ${concurrency}
    steps:
      - { id: ask, use: approval.request, with: { intent: restart_service, target: "\${ticket}", host: web1, reason: "ticket \${ticket}" } }
      - { id: done, use: value, with: { ticket: "\${ticket}" } }
`;

  it('one item waiting for people holds back the next ones only beyond the concurrency', async () => {
    const one = world();
    expect((await run(compile(loop(1)), one)).outcome).toBe('waiting');
    expect(one.notifier.sent.map((n) => n.channel)).toEqual(['approvals']);
    const three = world();
    expect((await run(compile(loop(3)), three)).outcome).toBe('waiting');
    expect(three.notifier.sent).toHaveLength(3);
    expect(three.notifier.sent.map((n) => n.body)).toEqual([expect.stringContaining('ticket a'), expect.stringContaining('ticket b'), expect.stringContaining('ticket c')]);
  });

  it("rows keep the items' order whatever order they end in", async () => {
    const w = world();
    // Items a and b wait together; b is approved first, so c starts, and only then is a approved.
    let releaseA = (): void => {};
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    const r = await run(compile(loop(2)), w, {
      answerWait: async (effect) => {
        if (effect.id.includes('each[0]')) await aHeld;
        if (effect.id.includes('each[2]')) releaseA();
        return { ok: true, value: { decision: 'approved', by: 'alice', at: new Date(w.clock.now()).toISOString(), reason: null } };
      },
    });
    const ended = stepEnd(r.trace, 'done').map((e) => (e.output as { ticket: string }).ticket);
    expect(ended.indexOf('b')).toBeLessThan(ended.indexOf('a'));
    expect(r.outcome).toBe('succeeded');
    expect((stepEnd(r.trace, 'each')[0]!.output as { done: unknown }[]).map((row) => row.done)).toEqual([{ ticket: 'a' }, { ticket: 'b' }, { ticket: 'c' }]);
  });

  it('the first failed item fails the loop and abandons the items still running', async () => {
    const tools = { check_a: { error: { code: 'TICKET_BAD', message: 'a is malformed' } }, check_b: { ok: 2 } };
    const pb = compile(`
vars: { tickets: [a, b] }
steps:
  - id: each
    for_each: vars.tickets
    as: ticket
    concurrency: 2
    steps:
      - { id: check, use: tool.call, with: { name: "check_\${ticket}", read_only: true } }
      - { id: ask, use: approval.request, with: { intent: restart_service, target: "\${ticket}", host: web1, reason: "ticket \${ticket}" } }
`);
    const r = await run(pb, world({ tools }));
    expect(r.outcome).toBe('failed');
    expect(r.reason).toBe('each: TICKET_BAD: item 0: check: a is malformed');
  });

  it('lint: concurrency belongs to for_each and is at most 50', () => {
    expect(lint(`
steps:
  - { id: x, use: value, with: {}, concurrency: 2 }
`).join('\n')).toMatch(/concurrency: belongs to a for_each: step/);
    expect(lint(loop(51)).join('\n')).toMatch(/concurrency/);
  });
});
