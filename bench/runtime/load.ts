/**
 * HTTP load with autocannon, on loopback only, bounded in time and in request count.
 */
import autocannon from 'autocannon';
import { JSON_HEADERS, KUMA_PATH } from './fixtures.ts';

export interface LoadResult {
  /** 2xx answers per second over the run. */
  okPerSec: number;
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
}

export interface LoadOptions {
  connections: number;
  /** Run for this long, unless `amount` is given (then until that many answers). */
  seconds?: number;
  amount?: number;
  /** Stop after this many requests whatever the time (default 500,000). */
  maxRequests?: number;
  /** The body of each request. */
  body: () => string;
}

/** Hard limit on one autocannon run, whatever its options say. */
const GUARD_MS = 180_000;

export async function postAlerts(url: string, o: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${target.hostname}`);
  const instance = autocannon({
    url,
    connections: o.connections,
    ...(o.amount === undefined ? { duration: o.seconds ?? 5, maxOverallRequests: Math.max(o.connections, o.maxRequests ?? 500_000) } : { amount: o.amount }),
    timeout: 10,
    method: 'POST',
    requests: [{ method: 'POST', path: KUMA_PATH, headers: { ...JSON_HEADERS }, setupRequest: (req) => ({ ...req, body: o.body() }) }],
  });
  const guard = setTimeout(() => (instance as unknown as { stop(): void }).stop(), GUARD_MS);
  try {
    const r = await instance;
    const ok = r['2xx'];
    return { okPerSec: ok / r.duration, ok, non2xx: r.non2xx, errors: r.errors, p50Ms: r.latency.p50, p99Ms: r.latency.p99, seconds: r.duration };
  } finally {
    clearTimeout(guard);
  }
}

export function latencyNote(r: LoadResult): string {
  const failures = r.errors > 0 ? `, socket errors ${r.errors}` : '';
  return `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}${failures}`;
}
