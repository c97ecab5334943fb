/**
 * `npm run bench`: runs every benchmark module and prints one table.
 * Add a module by importing its bench function and listing it in SUITES.
 */
import { benchEngine } from './engine.ts';
import { benchExpr } from './expr.ts';
import { formatBenchTable, type BenchRow } from './report.ts';

const SUITES: ReadonlyArray<{ name: string; run: () => Promise<BenchRow[]> }> = [
  { name: 'expr', run: () => benchExpr() },
  { name: 'engine', run: () => benchEngine() },
];

// Suite names given on the command line select suites (run-ts.js passes the script path too).
const only = process.argv.slice(2).filter((a) => SUITES.some((s) => s.name === a));
const rows: BenchRow[] = [];
for (const suite of SUITES) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  rows.push(...(await suite.run()));
}
console.log(formatBenchTable(rows));
