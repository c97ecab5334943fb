import type { SkippedPlaybook } from '../records/records.ts';

/** What `POST /hooks/...` answers with 202, and what a schedule firing produces. */
export interface AdmissionResult {
  /** The id of the event record ("why did it not fire?" lives there). */
  eventIds: string[];
  runs: string[];
  /** The same runs, each with the playbook it runs: a sender can tell which remediation started. */
  started: StartedRun[];
  skipped: SkippedPlaybook[];
}

interface StartedRun {
  run: string;
  playbook: string;
}

/**
 * Turns received events into committed, queued runs: match playbooks, pass gates, commit the
 * events with their outcome and the runs, then enqueue. Resolves only once all of it is durable.
 */
export interface Admission {
  /** Events already normalized and validated, from one webhook body. `note` when the body produced none. */
  admitEvents(source: string, events: readonly Record<string, unknown>[], note?: string): Promise<AdmissionResult>;
  /** A schedule fired for a playbook. */
  admitSchedule(playbook: string, firedAt: number): Promise<AdmissionResult>;
}
