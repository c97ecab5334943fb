/**
 * The old worker (OLD_COMMIT: runs interpreted in one go, nothing journaled) measured by its own
 * bench, bench/runtime/worker.ts as it was at that commit, in a child process in the temporary
 * worktree: its raw BullMQ round and its engine round, each on its own queue, Redis prefix and
 * PostgreSQL schema (isolated and removed by that bench, as this one does).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESULT_MARK, runOldScript, withOldCheckout, type Measured } from './checkout.ts';

/** Jobs per second of the old bench's two rounds. */
export interface OldWorkerFigures {
  raw: number;
  engine: number;
}

const CHILD_LIMIT_MS = 300_000;

export async function measureOldWorker(jobs: number, concurrency: number): Promise<Measured<OldWorkerFigures>> {
  const measured = await withOldCheckout(async (checkout) => {
    const bench = JSON.stringify(pathToFileURL(join(checkout.tree, 'bench/runtime/worker.ts')).href);
    const script = `// Written by bench/old/worker-script.ts for one bench run; removed with this folder.
import { benchWorker } from ${bench};
const rows = await benchWorker(${JSON.stringify({ jobs, concurrency })});
console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify(rows));
`;
    return runOldScript(checkout, 'old-worker', script, CHILD_LIMIT_MS);
  });
  if (!measured.ok) return measured;
  // That bench answers [raw, engine], or one row saying why it did not run.
  const rows = measured.value as { opsPerSec: number; note?: string }[];
  if (!Array.isArray(rows) || rows.length !== 2 || !rows.every((r) => r.opsPerSec > 0)) {
    return { ok: false, why: `the old worker bench did not run: ${JSON.stringify(rows)}` };
  }
  return { ok: true, value: { raw: rows[0]!.opsPerSec, engine: rows[1]!.opsPerSec } };
}
