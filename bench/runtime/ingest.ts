/**
 * Webhook ingest throughput: autocannon on loopback at 10 and 50 connections against
 *   (a) bare Koa: reads and parses the body, answers the same 202 JSON, stores nothing (baseline);
 *   (b) `engine serve`, embedded profile (SQLite in a temp folder);
 *   (c) `engine serve`, distributed profile (Redis + PostgreSQL on 127.0.0.1, isolated, removed after).
 * Every server runs in its own process (bench/runtime/serve-child.ts) with the Node flags of
 * `npm start`, measured from outside: VmRSS of that process after its runs, and its CPU time per
 * answered request (steadier than req/s when the load generator shares the two cores). Each request is a DOWN alert of its own monitor (new
 * fingerprint and service), so every request writes a dedup claim and rate counters; the global
 * rate gate (10/h) admits the first 10 as runs, the rest are recorded as skipped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from '../report.ts';
import { mb, startChildServer } from './child-server.ts';
import { REPO_ROOT, variedAlerts } from './fixtures.ts';
import { latencyNote, postAlerts, type LoadResult } from './load.ts';
import { cleanDistributed, distributedEnv, distributedServices, isolation } from './services.ts';

export interface IngestOptions {
  seconds?: number;
  connections?: readonly number[];
}

/** The Node flags of `npm start`, read from package.json, so the server is measured as users run it. */
export const SERVER_NODE_FLAGS = startFlags();

function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

interface Measured {
  target: string;
  /** cpuUsPerReq: server CPU time (user + system) per answered request, from /proc. */
  runs: { connections: number; load: LoadResult; cpuUsPerReq: number | null }[];
  /** VmRSS of the server process once started, and after its runs. */
  idleRss: number | null;
  rss: number | null;
}

const AIM = { rps: 5000, p99Ms: 20, rssBytes: 150 * 1024 * 1024 };

export async function benchIngest(options: IngestOptions = {}): Promise<BenchRow[]> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? [10, 50];
  const measure = async (target: string, mode: 'bare' | 'engine', env: Record<string, string>): Promise<Measured> => {
    const server = await startChildServer(mode, env, SERVER_NODE_FLAGS);
    const idleRss = server.memory()?.rss ?? null;
    try {
      const body = variedAlerts(Date.now());
      let n = 0;
      const next = (): string => body(++n);
      await postAlerts(server.url, { connections: 10, seconds: 2, body: next }); // warm-up, not reported
      const runs: Measured['runs'] = [];
      for (const c of connections) {
        const before = server.cpuMs();
        const load = await postAlerts(server.url, { connections: c, seconds, body: next });
        const after = server.cpuMs();
        const answered = load.ok + load.non2xx;
        const cpuUsPerReq = before === null || after === null || answered === 0 ? null : ((after - before) * 1000) / answered;
        runs.push({ connections: c, load, cpuUsPerReq });
      }
      // The distributed `engine serve` runs no workers: its admitted runs stay queued for them.
      if (!('REDIS_URL' in env)) await server.settle();
      return { target, runs, idleRss, rss: server.memory()?.rss ?? null };
    } finally {
      await server.stop();
    }
  };

  const bare = await measure('bare Koa (baseline)', 'bare', {});
  const results: Measured[] = [bare];
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    results.push(await measure('engine serve, embedded', 'engine', { DATA_DIR: dataDir, ENGINE_ROOT: REPO_ROOT }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const services = await distributedServices();
  const skipped: BenchRow[] = [];
  if (services.ok) {
    const iso = isolation('ingest');
    try {
      const env = { ...distributedEnv(iso, services.databaseUrl), ENGINE_ROOT: REPO_ROOT };
      results.push(await measure('engine serve, distributed', 'engine', env));
    } finally {
      await cleanDistributed(iso, services.databaseUrl);
    }
  } else {
    skipped.push({ name: 'ingest: engine serve, distributed', opsPerSec: 0, note: `not run: ${services.why}` });
  }
  return [...results.flatMap((m) => rows(m, bare)), ...skipped];
}

function rows(m: Measured, bare: Measured): BenchRow[] {
  const rss = m.rss === null || m.idleRss === null ? 'RSS n/a' : `server RSS ${mb(m.rss)} after (${mb(m.idleRss)} at start)`;
  return m.runs.map(({ connections, load, cpuUsPerReq }) => {
    const baseRun = bare.runs.find((b) => b.connections === connections)!;
    const base = baseRun.load;
    const versus = m === bare ? 'baseline' : `${(load.okPerSec / base.okPerSec).toFixed(2)}x bare Koa (${fmt(base.okPerSec)} req/s)`;
    const cpu =
      cpuUsPerReq === null
        ? 'server CPU n/a'
        : `server CPU ${Math.round(cpuUsPerReq)} us/req${m === bare || baseRun.cpuUsPerReq === null ? '' : ` (${(cpuUsPerReq / baseRun.cpuUsPerReq).toFixed(1)}x bare)`}`;
    let note = `${latencyNote(load)}; ${versus}; ${cpu}; ${rss}`;
    if (m.target.endsWith('embedded') && connections === 50) note += `; ${aim(load, m.rss)}`;
    return { name: `ingest: ${m.target}, ${connections} conn`, opsPerSec: load.okPerSec, note };
  });
}

function aim(load: LoadResult, rss: number | null): string {
  const missed = [
    load.okPerSec < AIM.rps ? `req/s < ${fmt(AIM.rps)}` : null,
    load.p99Ms >= AIM.p99Ms ? `p99 >= ${AIM.p99Ms} ms` : null,
    rss !== null && rss >= AIM.rssBytes ? `RSS >= ${mb(AIM.rssBytes)}` : null,
  ].filter((x) => x !== null);
  return `aim >= ${fmt(AIM.rps)} req/s, p99 < ${AIM.p99Ms} ms, RSS < ${mb(AIM.rssBytes)}: ${missed.length === 0 ? 'met' : `missed (${missed.join(', ')})`}`;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
