import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import type { GateOps } from '../../engine/ports/state-store.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { admitRun } from '../../engine/run/admit.ts';
import { redact } from '../../engine/trace/redact.ts';
import { matchWebhook } from '../../engine/run/trigger.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PlaybookRegistry } from '../playbooks/registry.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { EventRecord, IngestBatch, RunRow, SkippedPlaybook } from '../records/records.ts';
import type { Admission, AdmissionResult } from './admission.ts';
import { eventSummary } from './event-summary.ts';

export interface EventAdmissionDeps {
  registry: PlaybookRegistry;
  state: GateOps;
  /** Commits an ingest batch durably (usually a CommitBatcher over Records.commitIngest). */
  commit(batch: IngestBatch): Promise<void>;
  queue: RunQueue;
  clock: Clock;
  ids: Ids;
  metrics: Metrics;
  /** Global shadow mode (ENGINE_SHADOW=1). */
  shadow: boolean;
  logger: Logger;
}

/**
 * Ingest: every playbook whose trigger matches gets its gates passed now, so the webhook's answer
 * can say why nothing ran; the event, its outcome and the admitted runs are committed together
 * before the answer, then announced to the queue. A queue that is down after the commit loses
 * nothing: the runs are `queued` in the records and the workers' reconciliation finds them.
 */
export class EventAdmission implements Admission {
  readonly #d: EventAdmissionDeps;

  constructor(deps: EventAdmissionDeps) {
    this.#d = deps;
  }

  async admitEvents(source: string, events: readonly Record<string, unknown>[], note?: string): Promise<AdmissionResult> {
    const now = this.#d.clock.now();
    const playbooks = this.#d.registry.current().playbooks;
    const batch: IngestBatch = { events: [], runs: [] };
    const skipped: SkippedPlaybook[] = [];
    for (const event of events) {
      const match = matchWebhook(playbooks, event, now);
      const record = await this.#admit(match.matched, event, now, 'webhook', source, eventSummary(event), batch);
      record.skipped.unshift(...match.skipped);
      skipped.push(...record.skipped);
    }
    if (events.length === 0) {
      const eventId = this.#d.ids.next('evt_');
      batch.events.push({ eventId, source, receivedAt: iso(now), event: null, summary: note ?? 'no event in this body', runs: [], skipped: [], ...(note ? { note } : {}) });
    }
    return this.#finish(batch, skipped);
  }

  async admitSchedule(name: string, firedAt: number): Promise<AdmissionResult> {
    const playbook = this.#d.registry.find(name);
    if (!playbook) throw new EngineError('UNKNOWN_PLAYBOOK', `schedule fired for ${name}, which is no longer loaded`);
    const batch: IngestBatch = { events: [], runs: [] };
    const record = await this.#admit([playbook], null, firedAt, 'schedule', 'schedule', `schedule of ${name} at ${iso(firedAt)}`, batch);
    return this.#finish(batch, record.skipped);
  }

  async #admit(
    playbooks: readonly Playbook[],
    event: Record<string, unknown> | null,
    now: number,
    trigger: RunRow['trigger'],
    source: string,
    summary: string,
    batch: IngestBatch,
  ): Promise<EventRecord> {
    // The event as GET /events shows it, stored redacted (secret-looking keys masked, as in traces);
    // the runs keep it whole, since their playbooks read it.
    const shown = event === null ? null : (redact(event) as Record<string, unknown>);
    const record: EventRecord = { eventId: this.#d.ids.next('evt_'), source, receivedAt: iso(now), event: shown, summary, runs: [], skipped: [] };
    for (const playbook of playbooks) {
      const runId = this.#d.ids.next('run_');
      const shadow = this.#d.shadow || playbook.shadow;
      const verdict = await admitRun(playbook, event, { state: this.#d.state, now, runId, shadow });
      const name = playbook.ref.name;
      if (!verdict.admitted) {
        record.skipped.push({ playbook: name, reason: verdict.reason ?? 'refused by a gate' });
        const refusedBy = verdict.gates[verdict.gates.length - 1]?.gate ?? 'gate';
        this.#d.metrics.gateRefusals.inc({ playbook: name, gate: refusedBy });
        continue;
      }
      record.runs.push(runId);
      batch.runs.push({
        runId,
        eventId: record.eventId,
        playbook: playbook.ref,
        trigger,
        status: 'queued',
        shadow,
        event,
        admission: verdict.gates,
        queuedAt: iso(now),
        startedAt: null,
        endedAt: null,
        attempts: 0,
        reason: null,
        decision: null,
        result: null,
      });
      this.#d.metrics.runsAdmitted.inc({ playbook: name, trigger });
    }
    batch.events.push(record);
    return record;
  }

  async #finish(batch: IngestBatch, skipped: SkippedPlaybook[]): Promise<AdmissionResult> {
    await this.#d.commit(batch);
    const runs = batch.runs.map((r) => r.runId);
    if (runs.length > 0) {
      // Already durable: a queue failure here delays the runs (reconciliation re-enqueues), it does not lose them.
      await this.#d.queue.enqueue(runs).catch((e: unknown) => {
        this.#d.logger.warn({ err: e, runs }, 'queue unavailable after commit; the runs stay queued for reconciliation');
      });
    }
    const started = batch.runs.map((r) => ({ run: r.runId, playbook: r.playbook.name }));
    return { eventIds: batch.events.map((e) => e.eventId), runs, started, skipped };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
