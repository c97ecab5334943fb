/**
 * Engine time per supervisor event: the step function (advance, driven by runPlaybook) and the
 * same with every effect and result journaled into memory, against the old interpreter, which
 * no longer exists on this branch and is measured from the git history (bench/old/) in the same
 * run. The aim: within 1.5x the old time, and under 1 ms per event.
 *
 * All three are timed in one child process, interleaved round by round, over the event the
 * dry-run bench uses (AUTO_EXECUTE, the longest of the main paths). Without the old commit, the
 * two new variants are timed here, in this process, against plain runPlaybook.
 */
import { withOldCheckout, runOldScript, OLD_COMMIT } from '../old/checkout.ts';
import { OLD_INTERPRETER, oldEngineScript } from '../old/engine-script.ts';
import type { BenchRow } from '../report.ts';
import { STEP_FUNCTION, STEP_FUNCTION_JOURNAL, stepVariants } from './step-variants.ts';
import { supervisorCases } from './supervisor-case.ts';
import { DEFAULT_TIMING, timeInterleaved, type VariantTiming } from './timing.ts';

const AIM_RATIO = 1.5;
const AIM_MS = 1;
const CHILD_LIMIT_MS = 180_000;

export async function benchStepFunction(): Promise<BenchRow[]> {
  const c = supervisorCases().AUTO_EXECUTE;
  const measured = await withOldCheckout((checkout) => runOldScript(checkout, 'old-engine', oldEngineScript(checkout.tree, c.decision, DEFAULT_TIMING), CHILD_LIMIT_MS));
  const what = `supervisor ${c.decision} event`;
  if (!measured.ok) {
    const t = await timeInterleaved(stepVariants(c));
    const plain = timing(t, STEP_FUNCTION);
    const journaled = timing(t, STEP_FUNCTION_JOURNAL);
    return [
      { name: `run: ${what}, step function (baseline)`, opsPerSec: 1000 / plain.msPerEvent, note: `${perEvent(plain)}; old interpreter not measurable: ${measured.why}` },
      { name: `run: ${what}, step function + in-memory journal`, opsPerSec: 1000 / journaled.msPerEvent, note: `${perEvent(journaled)}; ${ratio(journaled, plain)}` },
    ];
  }
  const t = measured.value as Record<string, VariantTiming>;
  const old = timing(t, OLD_INTERPRETER);
  const plain = timing(t, STEP_FUNCTION);
  const journaled = timing(t, STEP_FUNCTION_JOURNAL);
  const aim = (v: VariantTiming): string => {
    const met = v.msPerEvent / old.msPerEvent <= AIM_RATIO && v.msPerEvent < AIM_MS;
    return `(aim <= ${AIM_RATIO}x and < ${AIM_MS} ms: ${met ? 'met' : 'missed'})`;
  };
  return [
    { name: `run: ${what}, old interpreter at ${OLD_COMMIT} (baseline)`, opsPerSec: 1000 / old.msPerEvent, note: `${perEvent(old)}; from a temporary worktree, same process as the next two` },
    { name: `run: ${what}, step function`, opsPerSec: 1000 / plain.msPerEvent, note: `${perEvent(plain)}; ${ratio(plain, old)} ${aim(plain)}` },
    { name: `run: ${what}, step function + in-memory journal`, opsPerSec: 1000 / journaled.msPerEvent, note: `${perEvent(journaled)}; ${ratio(journaled, old)} ${aim(journaled)}` },
  ];
}

/** A variant's figures from the timings, checked: a child that printed something else fails the suite. */
function timing(t: Record<string, VariantTiming>, name: string): VariantTiming {
  const v = t[name];
  if (!v || !(v.msPerEvent > 0)) throw new Error(`no timing for ${name} in ${JSON.stringify(t)}`);
  return v;
}

function perEvent(v: VariantTiming): string {
  return `${v.msPerEvent.toFixed(3)} ms per event (median of ${v.rounds} rounds, ${v.minMs.toFixed(3)}-${v.maxMs.toFixed(3)})`;
}

/** Times are compared as time over the baseline's time: 1.20x is 20% slower. */
function ratio(v: VariantTiming, baseline: VariantTiming): string {
  return `${(v.msPerEvent / baseline.msPerEvent).toFixed(2)}x the baseline's time`;
}
