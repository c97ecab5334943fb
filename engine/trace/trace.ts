/**
 * A run's trace: a list of namespaced events, JSON, redacted before it leaves the engine.
 * It is what an auditor reads to learn what the engine did and why.
 */
export type GateVerdict = 'pass' | 'refuse';

type CommandStatus = 'succeeded' | 'failed' | 'interrupted' | 'not_run' | 'shadowed';

export type RunOutcome = 'succeeded' | 'failed' | 'escalated' | 'waiting' | 'skipped';

export interface PlaybookRef {
  name: string;
  version: string;
  hash: string;
}

export type TraceEvent =
  | { type: 'run.start'; at: string; runId: string; playbook: PlaybookRef; event: unknown; shadow: boolean }
  | { type: 'gate'; at: string; gate: string; verdict: GateVerdict; reason: string; key?: string }
  | { type: 'step.start'; at: string; step: string; use?: string; input?: unknown }
  | {
      type: 'step.end';
      at: string;
      step: string;
      status: 'ok' | 'skipped' | 'error';
      durationMs: number;
      output?: unknown;
      error?: { code: string; message: string };
    }
  | { type: 'decision'; at: string; step: string; row: number; when: string | null; then: string | Readonly<Record<string, string | number | boolean | null>> }
  | { type: 'route'; at: string; from: string; to: string; via: 'next' | 'switch' | 'on_error' | 'on_timeout' }
  | {
      type: 'command';
      at: string;
      step: string;
      intent: string;
      target: string | null;
      host: string | null;
      argv: string[];
      command: string;
      /** True only when the command reached the host (the Shell answered or broke mid-way). */
      executed: boolean;
      /**
       * succeeded / failed: it ran, and its exit code is accepted or not; interrupted: the Shell
       * broke after it may have started (timeout, lost connection); not_run: it never reached the
       * host; shadowed: shadow mode kept it from running.
       */
      status: CommandStatus;
      exitCode?: number | null;
      note?: string;
    }
  | { type: 'intent.refused'; at: string; step: string; code: string; reason: string }
  /** `prompt`: what reached the model, redacted as the whole trace is (long prompts are cut at 8 KiB). */
  | { type: 'llm'; at: string; step: string; role: string; model: string; promptChars: number; prompt?: string }
  | { type: 'notify'; at: string; step: string; channel: string; subject: string }
  /** A notification that could not be sent: recorded, never a failure of the remediation before it. */
  | { type: 'notify.failed'; at: string; step: string; channel: string; code: string; reason: string }
  | { type: 'run.end'; at: string; outcome: RunOutcome; decision: string | null; durationMs: number; reason?: string };

type TraceEventType = TraceEvent['type'];
