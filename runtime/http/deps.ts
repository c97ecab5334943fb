import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import type { Admission } from '../admission/admission.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Records, RunRow } from '../records/records.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import type { SourceTable } from './source-table.ts';
import type { ApprovalAnswer, DecidedApproval } from '../approvals/decide-approval.ts';

/** One dependency the service needs to do its work (records, state, queue...), as /readyz shows it. */
export type ReadinessCheck = { ok: true } | { ok: false; message: string };

/** What `readiness()` reports: every check by name; the service is ready when all are ok. */
export interface ReadinessReport {
  checks: Record<string, ReadinessCheck>;
  /**
   * The adapters' own health (an SSH host's last connection, a notifier target's last failure):
   * shown, never a reason to refuse traffic (a mail server down must not stop the webhooks).
   */
  adapters?: Record<string, unknown>;
}

/** Bounds on untrusted input, applied before anything else looks at a request. */
export interface HttpLimits {
  /** Largest request body read, in bytes (413 beyond). */
  bodyBytes: number;
  /** Deepest JSON nesting accepted (400 TOO_DEEP beyond). */
  maxDepth: number;
}

export interface HttpDeps {
  admission: Admission;
  records: Records;
  sources: SourceTable;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  readiness: () => Promise<ReadinessReport>;
  limits: HttpLimits;
  /** False once shutdown began: hooks answer 503 so senders retry against another instance. */
  accepting: () => boolean;
  /** Runs waiting for a worker, read before /metrics renders the queue-depth gauge. */
  queueDepth?: () => Promise<number>;
  /** Request ids when the client sends none; random by default. */
  ids?: Ids;
  /**
   * When set, GET /runs, /events and /audit require this bearer token: they show alert texts,
   * hosts and the commands run. Hooks have their own per-source auth; health and metrics none.
   */
  readAuth?: { bearer: string } | null;
  /**
   * Approval decisions (POST /runs/:id/approvals). With `bearer` they require that token;
   * without it they are taken only from the loopback interface (the engine approve CLI on the host).
   */
  /** The run so far from its journal, for a run a worker is running now; null when it has none. */
  liveRun?: (row: RunRow) => Promise<RunSummary | null>;
  approvals?: { decide: (answer: ApprovalAnswer) => Promise<DecidedApproval>; bearer: string | null } | null;
}
