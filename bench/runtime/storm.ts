/**
 * Alert storm, embedded profile: 10,000 identical Uptime Kuma DOWN alerts for one monitor, sent as
 * fast as autocannon can (50 connections) to `engine serve` in its own process, so they arrive
 * well within the 20-minute dedup window. Then, from the SQLite file: every alert is an event
 * record, exactly one run (dedup keeps the first), and 9,999 events skipped for dedup. A wrong
 * count throws: the bench run fails. The baseline is the same storm against bare Koa. Both servers
 * are cold (no warm-up): a storm does not wait for the JIT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../runtime/config/config.ts';
import { openRecords } from '../../runtime/profiles/open-records.ts';
import type { Records } from '../../runtime/records/records.ts';
import type { BenchRow } from '../report.ts';
import { mb, startChildServer } from './child-server.ts';
import { SERVER_NODE_FLAGS } from './ingest.ts';
import { identicalAlert, REPO_ROOT } from './fixtures.ts';
import { latencyNote, postAlerts, type LoadResult } from './load.ts';

export interface StormAccounting {
  events: number;
  /** Runs named by the event records, and run rows in the records. */
  runs: number;
  runRows: number;
  dedupSkipped: number;
  /** Events neither run nor skipped for dedup (should be none). */
  other: number;
  /** What is wrong; empty when the storm is accounted for. */
  problems: string[];
}

/** Checks the records after `alerts` identical alerts: one run, the rest skipped for dedup. */
export async function stormAccounting(records: Records, alerts: number): Promise<StormAccounting> {
  const events = await records.listEvents({ limit: alerts + 100 });
  const runRows = (await records.listRuns({ limit: alerts + 100 })).length;
  let runs = 0;
  let dedupSkipped = 0;
  let other = 0;
  for (const e of events) {
    runs += e.runs.length;
    if (e.runs.length === 0 && e.skipped.length === 1 && e.skipped[0]!.reason.startsWith('dedup:')) dedupSkipped += 1;
    else if (e.runs.length !== 1 || e.skipped.length !== 0) other += 1;
  }
  const problems = [
    events.length !== alerts ? `${events.length} event records for ${alerts} alerts` : null,
    runs !== 1 ? `${runs} runs named by the events, expected 1` : null,
    runRows !== 1 ? `${runRows} run rows, expected 1` : null,
    dedupSkipped !== alerts - 1 ? `${dedupSkipped} events skipped for dedup, expected ${alerts - 1}` : null,
    other !== 0 ? `${other} events neither run nor skipped for dedup` : null,
  ].filter((p): p is string => p !== null);
  return { events: events.length, runs, runRows, dedupSkipped, other, problems };
}

export async function benchStorm(options: { alerts?: number; connections?: number } = {}): Promise<BenchRow[]> {
  const alerts = options.alerts ?? 10_000;
  const connections = options.connections ?? 50;
  const at = Date.now();
  const body = identicalAlert(at);
  const storm = async (url: string): Promise<{ load: LoadResult; ms: number }> => {
    const t0 = performance.now();
    const load = await postAlerts(url, { connections, amount: alerts, body: () => body });
    return { load, ms: performance.now() - t0 };
  };

  const bare = await startChildServer('bare', {}, SERVER_NODE_FLAGS);
  let baseline: { load: LoadResult; ms: number };
  try {
    baseline = await storm(bare.url);
  } finally {
    await bare.stop();
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-storm-'));
  try {
    const env = { DATA_DIR: dataDir, ENGINE_ROOT: REPO_ROOT };
    const server = await startChildServer('engine', env, SERVER_NODE_FLAGS);
    let ours: { load: LoadResult; ms: number };
    let rss: number | null;
    try {
      ours = await storm(server.url);
      await server.settle();
      rss = server.memory()?.rss ?? null;
    } finally {
      await server.stop();
    }
    const loaded = loadConfig(env, REPO_ROOT);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const records = await openRecords(loaded.config);
    let count: StormAccounting;
    let runStatus: string;
    try {
      count = await stormAccounting(records, alerts);
      runStatus = (await records.listRuns({ limit: 1 }))[0]?.status ?? 'none';
    } finally {
      await records.close();
    }
    const sent = ours.load.ok + ours.load.non2xx;
    if (ours.load.non2xx > 0 || ours.load.errors > 0 || sent !== alerts) count.problems.unshift(`${ours.load.ok} of ${alerts} alerts answered 2xx`);
    if (runStatus !== 'succeeded') count.problems.push(`the one run ended ${runStatus}, expected succeeded`);
    const accounting = `${count.events.toLocaleString('en-US')} events, ${count.runs} run (${runStatus}), ${count.dedupSkipped.toLocaleString('en-US')} skipped for dedup`;
    if (count.problems.length > 0) throw new Error(`storm accounting is wrong: ${count.problems.join('; ')} (${accounting})`);
    const rate = (r: { ms: number }): number => alerts / (r.ms / 1000);
    return [
      { name: `storm: ${alerts.toLocaleString('en-US')} identical alerts, bare Koa (baseline)`, opsPerSec: rate(baseline), note: `${(baseline.ms / 1000).toFixed(2)} s from a cold start; ${latencyNote(baseline.load)}; baseline` },
      {
        name: `storm: ${alerts.toLocaleString('en-US')} identical alerts, engine embedded`,
        opsPerSec: rate(ours),
        note:
          `${(ours.ms / 1000).toFixed(2)} s from a cold start (${(rate(ours) / rate(baseline)).toFixed(2)}x bare Koa); ${latencyNote(ours.load)}; ` +
          `accounted: ${accounting}; server RSS ${rss === null ? 'n/a' : mb(rss)}`,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
