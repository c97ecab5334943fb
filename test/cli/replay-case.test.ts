import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../engine/effects/effect.ts';
import { admitRun } from '../../engine/run/admit.ts';
import { startRun, type RunStart } from '../../engine/run/advance.ts';
import type { RecordedAnswer } from '../../engine/run/fold.ts';
import { compileProgram } from '../../engine/run/program.ts';
import { summarize } from '../../engine/run/result.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { loadYaml } from '../../engine/yaml/load.ts';
import { driveRun, resultOf } from '../../runtime/driver/run-driver.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { caseFromRun } from '../../cli/replay/case-from-run.ts';
import type { StoredRecording } from '../../cli/replay/recorded-run.ts';
import { appendCase } from '../../cli/replay/write-case.ts';
import { runCaseFile } from '../../cli/testing/run-cases.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { compile, EVENT, ROOT, TEST_TOOLS, world } from '../run/harness.ts';

/** A person approves, then the restart runs: what a test case can and cannot script of that. */
const PLAYBOOK = compile(`
steps:
  - { id: look, use: tool.call, with: { name: look, read_only: true } }
  - { id: ask, use: approval.request, with: { intent: restart_service, target: nginx, host: web1, reason: "restart?" } }
  - { id: fix, use: intent.run, with: { intent: restart_service, target: nginx, host: web1 } }
`);
const program = compileProgram(PLAYBOOK, { catalog: shippedCatalog(), tools: TEST_TOOLS, prompts: new Map(), executors: STEP_EXECUTORS });

async function recordApproved(): Promise<StoredRecording> {
  const w = world({ tools: { look: [['a', 'b']] } });
  const at = w.clock.now();
  const admission = await admitRun(PLAYBOOK, EVENT, { state: w.ports.state, now: at, runId: 'run_9', shadow: false });
  const start: RunStart = { runId: 'run_9', event: EVENT, shadow: false, admission, at };
  const effects: Effect[] = [];
  const answers: RecordedAnswer[] = [];
  const { state, trace } = await driveRun(program, startRun(program, start), {
    ports: w.ports,
    shadow: false,
    onEffects: async (es) => void effects.push(...es.map((e) => structuredClone(e))),
    onResult: async (id, outcome, at) => void answers.push({ id, outcome: JSON.parse(JSON.stringify(outcome)) as RecordedAnswer['outcome'], at }),
    answerWait: async () => ({ ok: true, value: { decision: 'approved', by: 'alice', at: new Date(at).toISOString(), reason: null } }),
  });
  const summary = summarize(resultOf(state, trace));
  const iso = new Date(at).toISOString();
  return {
    row: { runId: 'run_9', eventId: 'evt_9', playbook: PLAYBOOK.ref, trigger: 'webhook', status: summary.outcome, shadow: false, event: EVENT, admission: admission.gates, queuedAt: iso, startedAt: iso, endedAt: iso, attempts: 1, reason: null, decision: null, result: summary },
    start,
    recorded: { effects, answers, end: { outcome: summary.outcome, decision: summary.decision, path: summary.path } },
    notes: [],
  };
}

describe('--save-case: a recorded run as an engine test case', () => {
  it('scripts what it can (a tool answering a list is wrapped) and people\'s decision by step: the case goes on as the run did', async () => {
    const rec = await recordApproved();
    expect(rec.recorded.end).toMatchObject({ outcome: 'succeeded', path: ['look', 'ask', 'fix'] });
    const made = caseFromRun(rec, program);
    expect(made.testCase).toMatchObject({
      tools: { look: [['a', 'b']] },
      approvals: { ask: { decision: 'approve', by: 'alice' } },
      expect: { path: ['look', 'ask', 'fix'], decision: null, commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx'], outcome: 'succeeded' },
    });
    expect(made.notes).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'engine-replay-case-'));
    try {
      const file = join(dir, 'cases.yaml');
      expect(appendCase(file, made.playbook, made.testCase, made.notes)).toBe('created');
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/approvals:\n\s+ask:\n\s+decision: approve\n\s+by: alice/);
      const project = loadProject([], { root: ROOT, toolsDir: 'test/fixtures/tools' });
      const { results, diagnostics } = await runCaseFile(project, loadYaml(file, text), PLAYBOOK);
      expect(diagnostics).toEqual([]);
      expect(results.map((r) => r.failures)).toEqual([[]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
