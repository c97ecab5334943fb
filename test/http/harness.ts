import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Admission, AdmissionResult } from '../../runtime/admission/admission.ts';
import type { AuditRow } from '../../engine/ports/record-store.ts';
import { createHttpApp, type HttpDeps, type ReadinessReport } from '../../runtime/http/app.ts';
import type { HookAnswer } from '../../runtime/http/routes/hooks.ts';
import type { RunView } from '../../runtime/http/run-view.ts';
import { defaultSourceTable } from '../../runtime/http/source-table.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { Metrics } from '../../runtime/observability/metrics.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import type { EventRecord, Records, RefusalRecord } from '../../runtime/records/records.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { RECEIVED_AT } from '../sources/examples.ts';

/** The HTTP layer served for real on 127.0.0.1:0, with a recording admission and SQLite records. */

interface AdmitCall {
  source: string;
  events: readonly Record<string, unknown>[];
  note: string | undefined;
}

/** Test double of the Admission port: records each call, answers one run per event, or fails. */
class RecordingAdmission implements Admission {
  readonly calls: AdmitCall[] = [];
  failure: unknown = null;
  #runs = 0;
  #events = 0;

  async admitEvents(source: string, events: readonly Record<string, unknown>[], note?: string): Promise<AdmissionResult> {
    if (this.failure !== null) throw this.failure;
    this.calls.push({ source, events, note });
    const eventIds = events.length === 0 ? [`evt_${++this.#events}`] : events.map(() => `evt_${++this.#events}`);
    const runs = events.map(() => `run_${++this.#runs}`);
    return {
      eventIds,
      runs,
      started: runs.map((run) => ({ run, playbook: 'supervisor' })),
      skipped: [{ playbook: 'disk-cleanup', reason: 'no match' }],
    };
  }

  async admitSchedule(): Promise<AdmissionResult> {
    throw new Error('not used by the HTTP layer');
  }
}

export interface TestServer {
  url: string;
  deps: HttpDeps;
  admission: RecordingAdmission;
  records: SqliteRecords;
  clock: ManualClock;
  /** Every log line written, parsed. */
  logs: Record<string, unknown>[];
  setAccepting(value: boolean): void;
  close(): Promise<void>;
}

export async function startTestServer(over: Partial<HttpDeps> = {}): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const admission = new RecordingAdmission();
  const records = new SqliteRecords(openDatabase(':memory:'));
  const clock = new ManualClock(RECEIVED_AT);
  let accepting = true;
  const deps: HttpDeps = {
    admission,
    records,
    sources: defaultSourceTable(),
    metrics: new Metrics({ defaultMetrics: false }),
    logger: createLogger({ level: 'info', destination: sink }),
    clock,
    readiness: async (): Promise<ReadinessReport> => ({ checks: { records: { ok: true } } }),
    limits: { bodyBytes: 64 * 1024, maxDepth: 64 },
    accepting: () => accepting,
    ids: new CounterIds(),
    ...over,
  };
  const server = createServer(createHttpApp(deps).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    admission,
    records,
    clock,
    logs,
    setAccepting: (value) => void (accepting = value),
    close: () => stop(server, records),
  };
}

async function stop(server: Server, records: Records): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  await records.close();
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed body; undefined when it is not JSON. Read it through `answer`. */
  json: unknown;
  text: string;
}

/** An error answer: a stable code, a message for people, and details (`path`, `reason`...). */
export interface ErrorAnswer {
  error: { code: string; message: string } & Record<string, unknown>;
}

/** What the HTTP layer answers, by kind of answer. */
export interface Answers {
  hook: HookAnswer;
  error: ErrorAnswer;
  run: RunView;
  runs: { runs: Omit<RunView, 'trace'>[] };
  /** GET /events: accepted events and refused requests (read a field of either kind; `result` says which). */
  events: { events: Array<{ result: 'accepted' | 'refused' } & Partial<EventRecord> & Partial<RefusalRecord>>; next: string | null };
  audit: { audit: AuditRow[] };
  readiness: { status: 'ready' | 'not ready'; checks: ReadinessReport['checks'] };
}

/** The key every answer of a kind carries: a reply without it is not that answer. */
const KEY_OF: { readonly [K in keyof Answers]: string } = {
  hook: 'runs',
  error: 'error',
  run: 'runId',
  runs: 'runs',
  events: 'events',
  audit: 'audit',
  readiness: 'checks',
};

/** The reply's body read as an answer of `kind`; throws (with the reply) when it is not one. */
export function answer<K extends keyof Answers>(reply: Reply, kind: K): Answers[K] {
  const body = reply.json;
  if (typeof body !== 'object' || body === null || !(KEY_OF[kind] in body)) {
    throw new Error(`expected a ${kind} answer, got ${reply.status}: ${reply.text.slice(0, 500)}`);
  }
  return body as Answers[K];
}

/** The `error` object of an error answer. */
export function errorOf(reply: Reply): ErrorAnswer['error'] {
  return answer(reply, 'error').error;
}

export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (/metrics): the test reads text.
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
