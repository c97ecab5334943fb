/**
 * `npm run bench`: runs every benchmark module and prints one table.
 * `npm run bench -- NAME...` runs the named suites only (`runtime` names the four runtime ones).
 * Add a module by importing its bench function and listing it in SUITES.
 */
import { availableParallelism } from 'node:os';
import { benchEngine } from './engine.ts';
import { benchExpr } from './expr.ts';
import { formatBenchTable, type BenchRow } from './report.ts';
import { benchIngest } from './runtime/ingest.ts';
import { benchRedisTrips } from './runtime/redis-trips.ts';
import { benchJournal } from './run/journal.ts';
import { benchStepFunction } from './run/step-function.ts';
import { benchStorm } from './runtime/storm.ts';
import { benchWorker } from './runtime/worker.ts';

const SUITES: ReadonlyArray<{ name: string; group?: string; run: () => Promise<BenchRow[]> }> = [
  { name: 'expr', run: () => benchExpr() },
  // The step function against the old interpreter (from the git history) belongs with engine time.
  { name: 'engine', run: async () => [...(await benchEngine()), ...(await benchStepFunction())] },
  { name: 'journal', run: () => benchJournal() },
  { name: 'ingest', group: 'runtime', run: () => benchIngest() },
  { name: 'redis', group: 'runtime', run: () => benchRedisTrips() },
  { name: 'worker', group: 'runtime', run: () => benchWorker() },
  { name: 'storm', group: 'runtime', run: () => benchStorm() },
];

// Arguments that are not a path (run-ts.js and tsx pass the script path too) select suites or groups.
const args = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
const known = new Set(SUITES.flatMap((s) => [s.name, ...(s.group ? [s.group] : [])]));
const unknown = args.filter((a) => !known.has(a));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  process.exit(2);
}
const chosen = SUITES.filter((s) => args.length === 0 || args.includes(s.name) || (s.group !== undefined && args.includes(s.group)));

console.log(`node ${process.version}, ${process.platform}, ${availableParallelism()} CPUs; load and services on 127.0.0.1 only\n`);
const rows: BenchRow[] = [];
const failed: string[] = [];
for (const suite of chosen) {
  try {
    rows.push(...(await suite.run()));
  } catch (e) {
    // One failing suite (a wrong accounting, a service gone) fails the run, after the others report.
    failed.push(`${suite.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(formatBenchTable(rows));
console.log(`\nrepeat: ${chosen.map((s) => `npm run bench -- ${s.name}`).join('; ')}`);
if (failed.length > 0) {
  console.error(`\nFAILED\n${failed.join('\n')}`);
  process.exitCode = 1;
}
