/**
 * A run driven the way runtime/driver/stored-run.ts drives a service run, with the database taken
 * out: the same start entry, every effect journaled before it is executed and every result before
 * the step function sees it, results fed back as the journal keeps them (plain JSON), an end
 * entry; each entry encoded as stored-run encodes it and serialized as a store would, into an array.
 * What is left to measure is the step function plus the journal's serialization cost.
 */
import type { EffectOutcome } from '../../engine/effects/effect.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { admitRun } from '../../engine/run/admit.ts';
import { foldJournal } from '../../engine/run/fold.ts';
import { compileProgram } from '../../engine/run/program.ts';
import { asPlainJson, encodeBody } from '../../runtime/driver/journal-codec.ts';
import { performEffect } from '../../runtime/driver/perform-effect.ts';
import { driveRun, resultOf, type DrivenRun, type RunEnvironment } from '../../runtime/driver/run-driver.ts';
import type { JournalEntry } from '../../runtime/records/journal.ts';

export interface JournaledRun {
  run: DrivenRun;
  /** One JSON text per journal entry, in seq order. */
  journal: string[];
}

/** runPlaybook (gates, then the run to its end or first wait), journaling into memory. */
export async function runWithMemoryJournal(playbook: Playbook, event: Record<string, unknown> | null, env: RunEnvironment): Promise<JournaledRun> {
  const { ports } = env;
  const runId = env.runId ?? ports.ids.next('run_');
  const shadow = Boolean(env.shadow) || playbook.shadow;
  const startedAt = ports.clock.now();
  const admission = env.admission ?? (await admitRun(playbook, event, { state: ports.state, now: startedAt, runId, shadow }));
  const program = compileProgram(playbook, env);
  const journal: string[] = [];
  const append = async (kind: JournalEntry['kind'], effectId: string | null, body: unknown, at: number, plain = false): Promise<void> => {
    const entry: JournalEntry = { runId, seq: journal.length + 1, kind, effectId, at: new Date(at).toISOString(), body: encodeBody(body, env.secrets ?? [], null, plain) };
    journal.push(JSON.stringify(entry));
  };
  await append('start', null, { startedAt }, startedAt);
  // A new run's journal holds no answers: folding it is starting the run, as stored-run does.
  const folded = foldJournal(program, { runId, event, shadow, admission, at: startedAt }, []);
  const json = async (p: Promise<EffectOutcome>): Promise<EffectOutcome> => asPlainJson(await p) as EffectOutcome;
  const { state, trace } = await driveRun(program, { ...folded.last, trace: folded.trace }, {
    ports,
    shadow,
    onEffects: async (effects) => {
      for (const effect of effects) await append('effect', effect.id, { effect }, ports.clock.now());
    },
    onResult: (id, outcome, at) => append('result', id, { outcome, at }, at, true),
    perform: (effect) => json(performEffect(effect, ports, { shadow })),
  });
  const run = resultOf(state, trace);
  if (state.status === 'done') await append('end', null, { outcome: run.outcome, reason: run.reason }, ports.clock.now());
  return { run, journal };
}
