/**
 * Times run variants against each other in one process, round by round: every round runs each
 * variant over the same number of events, in an order that rotates, so drift (a neighbour's load,
 * a GC phase, JIT tiers) falls on all of them alike. A variant prepares its events before the
 * clock starts (a fresh scripted world each: the gates deduplicate), so only the run is timed.
 *
 * Also imported, by absolute path, by the child script that times the old interpreter from a
 * temporary checkout (old-engine-script.ts): old and new then share this loop, line for line.
 */
import { performance } from 'node:perf_hooks';

export interface TimedVariant {
  name: string;
  /** One event ready to run (its world built, its run stored); called before the round's clock starts. */
  prepare(): (() => Promise<void>) | Promise<() => Promise<void>>;
}

export interface TimingOptions {
  /** Rounds run first and not counted (JIT warm-up). */
  warmupRounds: number;
  rounds: number;
  eventsPerRound: number;
}

/** Milliseconds per event of one variant: the median round, and the fastest and slowest. */
export interface VariantTiming {
  msPerEvent: number;
  minMs: number;
  maxMs: number;
  rounds: number;
  events: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmupRounds: 2, rounds: 8, eventsPerRound: 150 };

export async function timeInterleaved(variants: readonly TimedVariant[], options: TimingOptions = DEFAULT_TIMING): Promise<Record<string, VariantTiming>> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length]!;
      const events: (() => Promise<void>)[] = [];
      for (let i = 0; i < options.eventsPerRound; i++) events.push(await variant.prepare());
      const t0 = performance.now();
      for (const run of events) await run();
      const ms = (performance.now() - t0) / events.length;
      if (round >= options.warmupRounds) samples.get(variant.name)!.push(ms);
    }
  }
  const out: Record<string, VariantTiming> = {};
  for (const [name, list] of samples) {
    const sorted = [...list].sort((a, b) => a - b);
    out[name] = {
      msPerEvent: (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2,
      minMs: sorted[0]!,
      maxMs: sorted[sorted.length - 1]!,
      rounds: sorted.length,
      events: sorted.length * options.eventsPerRound,
    };
  }
  return out;
}
