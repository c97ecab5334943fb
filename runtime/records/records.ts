import type { AuditRow, LogRecord, RecordStore } from '../../engine/ports/record-store.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import type { PlaybookRef, TraceEvent } from '../../engine/trace/trace.ts';
import type { RunJournal } from './journal.ts';

/**
 * The records of a running service: every event received with its outcome, every run from
 * `queued` to its end, the append-only audit trail and the runs' journals (journal.ts). SQLite
 * in the embedded profile, PostgreSQL in the distributed one; both pass
 * `test/records/records.contract.ts` (and the received and journal contracts beside it).
 */

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'escalated', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why one playbook did not run for an event: no match, a gate refusal (deduplicated, rate-limited...). */
export interface SkippedPlaybook {
  playbook: string;
  reason: string;
}

/** One received event (or schedule firing) and what came of it: "why did it not fire?". */
export interface EventRecord {
  eventId: string;
  source: string;
  /** ISO time of reception (injected clock). */
  receivedAt: string;
  /** The normalized event; null for a schedule firing. */
  event: Record<string, unknown> | null;
  /** One line for people: "down nginx on web-1: Connection refused". */
  summary: string;
  runs: string[];
  skipped: SkippedPlaybook[];
  /** Set when the body was accepted but produced no event (the Uptime Kuma test button). */
  note?: string;
}

/**
 * A webhook request refused with a 4xx, kept so GET /events can answer "why did my alert never
 * arrive?". Bounded: the excerpt is at most EXCERPT_BYTES of the body, redacted as traces are,
 * and a store keeps the latest REFUSALS_KEPT refusals only.
 */
export interface RefusalRecord {
  refusalId: string;
  /** The configured source the request was posted to (refusals for unknown sources are not kept). */
  source: string;
  /** ISO time of reception (injected clock). */
  receivedAt: string;
  /** The HTTP status answered, 400 to 499. */
  status: number;
  code: string;
  reason: string;
  /** The offending field (`alerts[0].labels.service`, `headers.content-type`), when one is known. */
  path: string | null;
  /** The start of the body, secrets masked; null when the body was not read or not authenticated. */
  excerpt: string | null;
  /** Size of the body as read; null when it was not read. */
  bodyBytes: number | null;
  /** The request id of the answer and of the request's log line. */
  requestId: string;
}

/** Bounds on what a refusal keeps. */
export const EXCERPT_BYTES = 2048;
export const REFUSALS_KEPT = 10_000;
/**
 * Refusals of senders that did not authenticate (401) are kept apart, within their own smaller
 * bound: a flood of bad tokens must not push out why a real sender's alerts were refused.
 */
export const UNAUTHENTICATED_REFUSALS_KEPT = 1_000;
export const UNAUTHENTICATED_STATUS = 401;

/**
 * Where a record sits in GET /events: newest first by reception time, then by commit order
 * (`seq`, the store's own). Both are immutable, so paging by position loses and repeats nothing.
 */
export interface FeedPosition {
  receivedAt: string;
  seq: number;
}

export interface Positioned<T> {
  position: FeedPosition;
  record: T;
}

export interface FeedFilter {
  source?: string;
  limit: number;
  /** Only records strictly before this position: `(receivedAt, seq) < (before.receivedAt, before.seq)`. */
  before?: FeedPosition;
}

/** A run as stored: created `queued` at ingest with its gate verdicts, finished by a worker. */
export interface RunRow {
  runId: string;
  eventId: string;
  playbook: PlaybookRef;
  /** 'webhook' or 'schedule'. */
  trigger: 'webhook' | 'schedule';
  status: RunStatus;
  shadow: boolean;
  event: Record<string, unknown> | null;
  /** Gate verdicts recorded when the run was admitted (the first events of its trace). */
  admission: Extract<TraceEvent, { type: 'gate' }>[];
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** How many times a worker took the run (more than 1 after a crash or a lost lease). */
  attempts: number;
  reason: string | null;
  decision: string | null;
  /** The dry-run JSON shape, once the run ended (or parked waiting). */
  result: RunSummary | null;
}

/** What ingest commits in one transaction before answering 202. */
export interface IngestBatch {
  events: EventRecord[];
  /** New runs, all `queued`. */
  runs: RunRow[];
}

export interface RunFilter {
  playbook?: string;
  status?: RunStatus;
  limit: number;
}

export interface EventFilter {
  source?: string;
  limit: number;
}

export interface AuditFilter {
  runId?: string;
  playbook?: string;
  intent?: string;
  status?: AuditRow['status'];
  /** ISO time; rows at or after it. */
  since?: string;
  limit: number;
}

export interface Records extends RecordStore, RunJournal {
  /** Commits events and their queued runs atomically; nothing is half-written. */
  commitIngest(batch: IngestBatch): Promise<void>;
  /**
   * A worker takes a run: `queued` → `running`, attempts + 1, startedAt set. Returns the row, or
   * null when the run is not queued (another worker took it, or it ended).
   */
  startRun(runId: string, at: string): Promise<RunRow | null>;
  /** Records the end of a run (or its parking in `waiting`) with its dry-run shape. */
  finishRun(runId: string, status: RunStatus, result: RunSummary, at: string): Promise<void>;
  /** Puts a run back to `queued` (a worker handing back work at shutdown). */
  requeueRun(runId: string): Promise<void>;
  /**
   * Puts a `waiting` run back to `queued` once a decision or a timer answered what it waited for;
   * false when it is not waiting (another process resumed it first). Attempts are kept.
   */
  resumeRun(runId: string): Promise<boolean>;
  /** The content hashes of the playbook versions that queued, running and waiting runs were admitted with. */
  livePlaybookHashes(): Promise<string[]>;
  /**
   * Runs left `running` by a process that died. `olderThan`: ISO time; only runs started before it.
   * The caller decides, per run, to requeue it or to fail it (see the worker's recovery).
   */
  runningRuns(olderThan: string): Promise<RunRow[]>;
  /** Oldest queued runs first: the embedded queue, and the distributed profile's reconciliation. */
  queuedRuns(limit: number): Promise<RunRow[]>;
  getRun(runId: string): Promise<RunRow | null>;
  listRuns(filter: RunFilter): Promise<RunRow[]>;
  listEvents(filter: EventFilter): Promise<EventRecord[]>;
  /**
   * Keeps a refused request; the oldest beyond REFUSALS_KEPT are dropped, 401s counted apart
   * within UNAUTHENTICATED_REFUSALS_KEPT (or the store's own bounds).
   */
  recordRefusal(refusal: RefusalRecord): Promise<void>;
  /** Events in feed order (newest first by receivedAt, then seq), before a position. */
  eventsBefore(filter: FeedFilter): Promise<Positioned<EventRecord>[]>;
  /** Refusals in the same order. */
  refusalsBefore(filter: FeedFilter): Promise<Positioned<RefusalRecord>[]>;
  /** The latest state of each audit entry, newest first. */
  listAudit(filter: AuditFilter): Promise<AuditRow[]>;
  /** A named log's latest records, newest first (at most `limit`). */
  listLog(log: string, limit: number): Promise<LogRecord[]>;
  /** Every audit row of a run in append order, completions included (the raw trail). */
  auditTrail(runId: string): Promise<AuditRow[]>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
