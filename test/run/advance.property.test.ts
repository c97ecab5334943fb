import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, advanceOwned, startRun } from '../../engine/run/advance.ts';
import { admitRun } from '../../engine/run/admit.ts';
import type { EffectOutcome } from '../../engine/effects/effect.ts';
import type { Advanced, RunInput, RunMachine } from '../../engine/run/machine.ts';
import { compileProgram, type Program } from '../../engine/run/program.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { performEffect } from '../../runtime/driver/perform-effect.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { compile, EVENT, TEST_TOOLS, world } from './harness.ts';

/** A playbook with every kind of step: parallel, groups, for_each with collected errors, intents, state, notify. */
const PLAYBOOK = compile(`
vars: { tickets: [a, b, c] }
steps:
  - id: context
    on_branch_error: continue
    parallel:
      - { id: logs, use: intent.run, with: { intent: collect_logs, target: "\${event.service}", host: "\${event.host}" } }
      - id: health
        steps:
          - { id: probe, use: tool.call, with: { name: probe, read_only: true } }
          - { id: mark, use: state.set, with: { key: "health:\${event.host}", value: "\${probe.result}", ttl: 60s } }
  - id: tickets
    for_each: vars.tickets
    as: ticket
    on_item_error: continue
    steps:
      - { id: check, use: tool.call, with: { name: "check_\${ticket}", read_only: true } }
      - { id: seen, use: state.get, with: { key: "seen:\${ticket}" } }
  - id: fix
    use: intent.run
    with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}" }
    on_error: tell
  - { id: tell, use: notify.send, with: { channel: ops, subject: "done \${event.service}" } }
`);

const CATALOG = shippedCatalog();

function program(): Program {
  return compileProgram(PLAYBOOK, { catalog: CATALOG, tools: TEST_TOOLS, prompts: new Map(), executors: STEP_EXECUTORS });
}

interface Script {
  probe: boolean;
  checks: boolean[];
  restartExit: number;
}

function fixture(s: Script) {
  const tools: Record<string, unknown> = { probe: s.probe ? 'ok' : { error: { code: 'PROBE_DOWN', message: 'no answer' } } };
  ['a', 'b', 'c'].forEach((t, i) => (tools[`check_${t}`] = s.checks[i] ? { id: t } : { error: { code: 'TICKET_BAD', message: `ticket ${t}` } }));
  return {
    tools,
    shell: {
      'journalctl -u nginx -n 200 --no-pager': { exitCode: 0, stdout: 'log lines', stderr: '' },
      'systemctl restart -- nginx': { exitCode: s.restartExit, stdout: '', stderr: s.restartExit ? 'failed' : '' },
    },
  };
}

/** Runs to the end, one result per input, and returns every input and every step function output. */
async function record(p: Program, s: Script) {
  const w = world(fixture(s));
  const at = w.clock.now();
  const admission = await admitRun(PLAYBOOK, EVENT, { state: w.ports.state, now: at, runId: 'run_1', shadow: false });
  const start = { runId: 'run_1', event: EVENT, shadow: false, admission, at };
  const outputs: Advanced[] = [startRun(p, start)];
  const inputs: RunInput[] = [];
  const queue = [...outputs[0]!.effects];
  while (outputs.at(-1)!.status !== 'done') {
    const effect = queue.shift()!;
    const outcome: EffectOutcome = await performEffect(effect, w.ports, { shadow: false });
    w.clock.advance(10);
    const input: RunInput = { type: 'results', at: w.clock.now(), results: [{ id: effect.id, outcome }] };
    inputs.push(input);
    const next = advance(p, outputs.at(-1)!.state, input);
    outputs.push(next);
    queue.push(...next.effects);
  }
  return { start, inputs, outputs };
}

const scripts = fc.record({ probe: fc.boolean(), checks: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), restartExit: fc.constantFrom(0, 1) });

describe('advance: the step function', () => {
  it('is deterministic and leaves the state it is given unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(scripts, async (s) => {
        const p = program();
        const { inputs, outputs } = await record(p, s);
        inputs.forEach((input, i) => {
          const before = outputs[i]!.state;
          const copy = structuredClone(before);
          const again = advance(p, before, input);
          expect(before).toEqual(copy);
          expect(again).toEqual(outputs[i + 1]);
          // The drivers' variant, which changes the state it is given instead of copying it, gives the same.
          expect(advanceOwned(p, structuredClone(copy), input)).toEqual(again);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a run stopped at any effect boundary, stored as JSON and resumed, ends as an uninterrupted one', async () => {
    await fc.assert(
      fc.asyncProperty(scripts, fc.nat(), async (s, cut) => {
        const p = program();
        const { inputs, outputs } = await record(p, s);
        const k = cut % (inputs.length + 1);
        let state = JSON.parse(JSON.stringify(outputs[k]!.state)) as RunMachine;
        const trace = outputs.slice(0, k + 1).flatMap((o) => o.trace);
        // A fresh program, as another process would compile it from the same playbook.
        const q = program();
        for (const input of inputs.slice(k)) {
          const next = advance(q, state, input);
          trace.push(...next.trace);
          state = next.state;
        }
        expect(trace).toEqual(outputs.flatMap((o) => o.trace));
        expect(state).toEqual(outputs.at(-1)!.state);
      }),
      { numRuns: 60 },
    );
  });

  it('effect ids are deterministic: run, step address with item index, visit, and number within the step', async () => {
    const { outputs } = await record(program(), { probe: true, checks: [true, true, true], restartExit: 0 });
    const ids = outputs.flatMap((o) => o.effects.map((e) => e.id));
    expect(ids).toContain('run_1/tickets[1].check/1/1');
    expect(ids).toContain('run_1/fix/1/5');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a result for an effect it did not ask for, and a run that has ended', async () => {
    const p = program();
    const { inputs, outputs } = await record(p, { probe: true, checks: [true, true, true], restartExit: 0 });
    expect(() => advance(p, outputs[1]!.state, { type: 'results', at: 0, results: [{ id: 'run_1/nope/1/1', outcome: { ok: true, value: null } }] })).toThrow(
      expect.objectContaining({ code: 'EFFECT_UNKNOWN' }),
    );
    expect(() => advance(p, outputs.at(-1)!.state, inputs[0]!)).toThrow(expect.objectContaining({ code: 'RUN_ENDED' }));
  });
});
