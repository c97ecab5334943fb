import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, one registry per process (tests make their own). Names follow
 * Prometheus conventions: `engine_` prefix, `_total` for counters, seconds for durations.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsReceived = new Counter({
    name: 'engine_events_received_total',
    help: 'Webhook events received, by source and result (accepted, rejected).',
    labelNames: ['source', 'result'] as const,
    registers: [this.registry],
  });
  readonly runsAdmitted = new Counter({
    name: 'engine_runs_admitted_total',
    help: 'Runs queued after passing the gates, by playbook and trigger.',
    labelNames: ['playbook', 'trigger'] as const,
    registers: [this.registry],
  });
  readonly gateRefusals = new Counter({
    name: 'engine_gate_refusals_total',
    help: 'Runs refused by a gate, by playbook and gate kind (dedup, rate, stale...).',
    labelNames: ['playbook', 'gate'] as const,
    registers: [this.registry],
  });
  readonly runsFinished = new Counter({
    name: 'engine_runs_total',
    help: 'Runs ended (or parked waiting), by playbook and outcome.',
    labelNames: ['playbook', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'engine_decisions_total',
    help: 'Decision table results, by playbook and decision.',
    labelNames: ['playbook', 'decision'] as const,
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'engine_commands_total',
    help: 'Catalogued commands by intent and status: succeeded or failed (they ran), interrupted (may have run), not_run (never reached the host), shadowed.',
    labelNames: ['playbook', 'intent', 'status'] as const,
    registers: [this.registry],
  });
  readonly stepDuration = new Histogram({
    name: 'engine_step_duration_seconds',
    help: 'Step durations, by playbook, step and status.',
    labelNames: ['playbook', 'step', 'status'] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'engine_queue_depth',
    help: 'Runs waiting for a worker.',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'engine_' });
  }
}
