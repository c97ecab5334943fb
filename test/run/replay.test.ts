import { describe, expect, it } from 'vitest';
import type { Effect } from '../../engine/effects/effect.ts';
import { admitRun } from '../../engine/run/admit.ts';
import { startRun, type RunStart } from '../../engine/run/advance.ts';
import type { RecordedAnswer } from '../../engine/run/fold.ts';
import { compileProgram, type Program } from '../../engine/run/program.ts';
import { replayJournal, type RecordedRun } from '../../engine/run/replay.ts';
import { firstDifference } from '../../engine/run/first-difference.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { driveRun } from '../../runtime/driver/run-driver.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { compile, EVENT, TEST_TOOLS, world } from './harness.ts';

/** A probe, a decision table, a catalogued restart, a notification and a closing verdict. */
const STEPS = `
steps:
  - { id: probe, use: tool.call, with: { name: probe, read_only: true } }
  - id: triage
    decide:
      - { when: "probe.result.healthy == false", then: RESTART }
      - else: LEAVE
  - { id: route, switch: triage, cases: { RESTART: fix, LEAVE: end } }
  - { id: fix, use: intent.run, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}" } }
  - { id: tell, use: notify.send, with: { channel: ops, subject: "fixed \${event.service}" } }
  - id: verdict
    decide:
      - { when: "fix.ok", then: RESOLVED }
      - else: UNRESOLVED
`;

const CATALOG = shippedCatalog();
const program = (body: string): Program => compileProgram(compile(body), { catalog: CATALOG, tools: TEST_TOOLS, prompts: new Map(), executors: STEP_EXECUTORS });

/** Runs the playbook with the driver, journaling as the stored run does: each effect before it runs, each answer before it is fed back. */
async function record(p: Program): Promise<{ start: RunStart; recorded: RecordedRun }> {
  const w = world({ tools: { probe: { healthy: false } }, shell: { 'systemctl restart -- nginx': { exitCode: 0, stdout: '', stderr: '' } } });
  const at = w.clock.now();
  const admission = await admitRun(p.playbook, EVENT, { state: w.ports.state, now: at, runId: 'run_1', shadow: false });
  const start: RunStart = { runId: 'run_1', event: EVENT, shadow: false, admission, at };
  const effects: Effect[] = [];
  const answers: RecordedAnswer[] = [];
  const { state } = await driveRun(p, startRun(p, start), {
    ports: w.ports,
    shadow: false,
    onEffects: async (es) => void effects.push(...es.map((e) => JSON.parse(JSON.stringify(e)) as Effect)),
    onResult: async (id, outcome, at) => void answers.push({ id, outcome: JSON.parse(JSON.stringify(outcome)) as RecordedAnswer['outcome'], at }),
  });
  const end = { outcome: state.status === 'waiting' ? ('waiting' as const) : state.outcome!, decision: state.decision, path: state.path };
  return { start, recorded: { effects, answers, end } };
}

describe('replayJournal: a recorded run driven again by a version of its playbook', () => {
  it('the same playbook replays the journal exactly: no divergence, same path and outcome', async () => {
    const { start, recorded } = await record(program(STEPS));
    const r = replayJournal(program(STEPS), start, recorded);
    expect(r.divergence).toBeNull();
    expect(r).toMatchObject({ outcome: 'succeeded', decision: 'RESOLVED', path: ['probe', 'triage', 'route', 'fix', 'tell', 'verdict'], answered: recorded.answers.length });
    expect(r.effects).toBe(recorded.effects.length);
    expect(r.trace.at(-1)).toMatchObject({ type: 'run.end', outcome: 'succeeded' });
  });

  it('a new version whose steps do the same is no divergence, though its name, version and hash in the audit rows differ', async () => {
    const { start, recorded } = await record(program(STEPS));
    const bumped = program(STEPS.replace('steps:', 'vars: { note: v2 }\nsteps:'));
    expect(bumped.playbook.ref.hash).not.toBe(program(STEPS).playbook.ref.hash);
    expect(recorded.effects.map((e) => e.request.kind)).toContain('audit.append');
    expect(replayJournal(bumped, start, recorded).divergence).toBeNull();
  });

  it('a changed with: asks for the recorded effect with another request: both shown, and the first differing field', async () => {
    const { start, recorded } = await record(program(STEPS));
    const r = replayJournal(program(STEPS.replace('subject: "fixed', 'subject: "repaired')), start, recorded);
    expect(r.divergence).toMatchObject({
      kind: 'request',
      step: 'tell',
      effectId: 'run_1/tell/1/1',
      field: { path: 'notification.subject', recorded: 'fixed nginx', wanted: 'repaired nginx' },
      recorded: { kind: 'notify.send', notification: { subject: 'fixed nginx' } },
      wanted: { kind: 'notify.send', notification: { subject: 'repaired nginx' } },
    });
    expect(r.path).toEqual(['probe', 'triage', 'route', 'fix', 'tell']);
  });

  it('a removed step: the recorded run answered an effect the new version never asks for', async () => {
    const { start, recorded } = await record(program(STEPS));
    const removed = STEPS.replace(/ {2}- \{ id: tell.*\n/, '');
    const r = replayJournal(program(removed), start, recorded);
    expect(r.divergence).toMatchObject({ kind: 'path', step: 'tell', effectId: 'run_1/tell/1/1', recorded: { step: 'tell', request: { kind: 'notify.send' } } });
    expect(r.divergence).toMatchObject({ path: ['probe', 'triage', 'route', 'fix', 'verdict'] });
    expect(r.outcome).toBe('succeeded');
  });

  it('a step added where the recorded run asked for another effect: the new request, and the recorded effect at that point', async () => {
    const { start, recorded } = await record(program(STEPS));
    const added = STEPS.replace('  - { id: tell', '  - { id: look, use: tool.call, with: { name: look, read_only: true } }\n  - { id: tell');
    const r = replayJournal(program(added), start, recorded);
    expect(r.divergence).toMatchObject({ kind: 'unrecorded', step: 'look', wanted: { id: 'run_1/look/1/1', request: { kind: 'tool.call', name: 'look' } }, recorded: { id: 'run_1/tell/1/1' } });
  });

  it('a changed decision table takes another path: the recorded run was at a step the new version skips', async () => {
    const { start, recorded } = await record(program(STEPS));
    const r = replayJournal(program(STEPS.replace('probe.result.healthy == false', 'probe.result.healthy == null')), start, recorded);
    expect(r.divergence).toMatchObject({ kind: 'path', step: 'fix', path: ['probe', 'triage', 'route'] });
    expect(r).toMatchObject({ outcome: 'succeeded', decision: 'LEAVE' });
  });

  it('a changed decision table after the last effect: every effect matches, the runs end differently', async () => {
    const { start, recorded } = await record(program(STEPS));
    const r = replayJournal(program(STEPS.replace('then: RESOLVED', 'then: CLOSED')), start, recorded);
    expect(r.divergence).toEqual({
      kind: 'end',
      fields: ['decision'],
      recorded: { outcome: 'succeeded', decision: 'RESOLVED', path: ['probe', 'triage', 'route', 'fix', 'tell', 'verdict'] },
      replayed: { outcome: 'succeeded', decision: 'CLOSED', path: ['probe', 'triage', 'route', 'fix', 'tell', 'verdict'] },
      answered: recorded.answers.length,
    });
  });

  it('a run whose journal ends waiting ends waiting; the new version must be waiting at the same effect', async () => {
    const waits = `
steps:
  - { id: ask, use: approval.request, with: { intent: restart_service, target: nginx, host: web1, reason: "restart?" } }
  - { id: fix, use: intent.run, with: { intent: restart_service, target: nginx, host: web1 } }
`;
    const { start, recorded } = await record(program(waits));
    expect(recorded.end!.outcome).toBe('waiting');
    const same = replayJournal(program(waits), start, recorded);
    expect(same).toMatchObject({ divergence: null, outcome: 'waiting', path: ['ask'] });
    const other = replayJournal(program(waits.replace(/ {2}- \{ id: ask.*\n/, '')), start, recorded);
    expect(other.divergence).toMatchObject({ kind: 'unrecorded', step: 'fix', recorded: { step: 'ask' } });
  });
});

describe('firstDifference', () => {
  it('names the first differing field in the order of the recorded value; undefined is absent', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 2 }] }, { a: 1, b: [1, { c: 3 }] })).toEqual({ path: 'b[1].c', recorded: 2, wanted: 3 });
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toEqual({ path: 'a[1]', recorded: 2, wanted: undefined });
    expect(firstDifference({ a: 1 }, { a: 1, z: 2 })?.path).toBe('z');
    expect(firstDifference({ 'rate:x': 1 }, { 'rate:x': 2 })?.path).toBe('["rate:x"]');
    expect(firstDifference({ a: 1, u: undefined }, { a: 1 })).toBeNull();
    expect(firstDifference(1, 'x')).toEqual({ path: '', recorded: 1, wanted: 'x' });
    expect(firstDifference({ p: { name: 'a', version: '1' } }, { p: { name: 'a', version: '2' } }, (r, w) => typeof r === 'object' && typeof w === 'object')).toBeNull();
  });
});
