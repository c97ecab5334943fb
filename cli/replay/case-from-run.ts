import { EngineError } from '../../engine/errors.ts';
import { foldJournal } from '../../engine/run/fold.ts';
import type { Program } from '../../engine/run/program.ts';
import { summarize } from '../../engine/run/result.ts';
import type { PlaybookTestCase } from '../../schemas/playbook-test.ts';
import type { StoredRecording } from './recorded-run.ts';
import { scriptWorld } from './world-script.ts';

export interface CaseFromRun {
  playbook: string;
  testCase: PlaybookTestCase;
  /** What the case cannot reproduce of the run, as sentences (written as comments beside it). */
  notes: string[];
}

/**
 * An `engine test` case from a recorded run: its event at its admission time, the world scripted
 * with the answers its journal recorded, and as expectations the path, decision, commands and
 * outcome it recorded. People's decisions are scripted by step (`approvals:`) and timers need
 * nothing; a wait the test format cannot script is expected to wait there, as a test run does:
 * `program` (the version replayed) says where that is.
 */
export function caseFromRun(rec: StoredRecording, program: Program): CaseFromRun {
  const { row, recorded } = rec;
  if (row.event === null) throw new EngineError('REPLAY_CASE', `run ${row.runId} was started by a schedule; a test case starts from a webhook event`);
  if (!recorded.end || !row.result) throw new EngineError('REPLAY_CASE', `run ${row.runId} is still ${row.status}; save a case once it has ended or waits`);
  const world = scriptWorld(recorded, row.shadow);
  const now = row.admission[0]?.at ?? row.queuedAt;
  let expect: PlaybookTestCase['expect'] = { path: recorded.end.path, decision: recorded.end.decision, commands: row.result.commands, outcome: recorded.end.outcome };
  const notes = [...world.notes];
  if (world.withheld.length) {
    // Folded without what people and timers answered: where a test run of this case stops.
    const held = new Set(world.withheld.map((a) => a.id));
    const folded = foldJournal(program, rec.start, recorded.answers.filter((a) => !held.has(a.id)));
    const { state } = folded.last;
    const outcome = folded.last.status === 'waiting' ? 'waiting' : folded.last.status === 'done' ? (state.outcome ?? 'succeeded') : 'running';
    const summary = summarize({ runId: row.runId, playbook: state.playbook, outcome: outcome === 'running' ? 'waiting' : outcome, reason: state.reason, decision: state.decision, path: state.path, trace: folded.trace });
    expect = { path: state.path, decision: state.decision, commands: summary.commands, outcome };
    notes.push(`the recorded run went on to: path ${recorded.end.path.join(', ') || '(none)'}; decision ${recorded.end.decision ?? '(none)'}; outcome ${recorded.end.outcome}`);
  }
  const testCase: PlaybookTestCase = {
    name: `replay of ${row.runId}: ${row.playbook.name} ${row.playbook.version}, ${recorded.end.outcome} (${now})`,
    now,
    event: row.event,
    ...(row.shadow ? { shadow: true } : {}),
    ...world.fixtures,
    expect,
  };
  return { playbook: row.playbook.name, testCase, notes };
}
