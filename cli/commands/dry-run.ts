import { readFileSync } from 'node:fs';
import { describeError } from '../../engine/errors.ts';
import type { JsonValue } from '../../engine/ports/state-store.ts';
import { redact } from '../../engine/trace/redact.ts';
import { hasErrors, formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { cliSourceTable, normalizeBody } from '../testing/normalize.ts';
import type { Io } from '../io.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { runEvent, runScheduled } from '../testing/run-event.ts';
import { renderSummary } from '../testing/render.ts';

export interface DryRunOptions {
  event?: string;
  schedule?: boolean;
  source?: string;
  playbook?: string;
  llm?: string;
  memory?: string;
  tools?: string;
  shell?: string;
  http?: string;
  state?: string;
  intents?: string;
  now?: string;
  shadow?: boolean;
  format: 'text' | 'json';
  playbooks: string[];
}

/**
 * `engine dry-run`: the event runs through the real interpreter with recording adapters; nothing
 * is executed, every command that would run is printed.
 */
export async function dryRunCommand(options: DryRunOptions, io: Io): Promise<number> {
  const project = loadProject(options.playbooks.length ? options.playbooks : ['playbooks'], options.intents ? { intentsDir: options.intents } : {});
  if (hasErrors(project.diagnostics)) {
    for (const d of project.diagnostics) io.stderr(formatDiagnostic(d));
    return 1;
  }
  if (options.schedule ? options.event !== undefined || !options.playbook || !options.now : options.event === undefined) {
    io.stderr('dry-run: give --event FILE, or --schedule with --playbook NAME and --now ISO (a scheduled run has no event)');
    return 2;
  }
  let events: Record<string, unknown>[];
  let fixtures: { llm?: Record<string, unknown>; memory?: unknown[]; tools?: Record<string, unknown>; shell?: Record<string, unknown>; http?: Record<string, unknown> };
  let state: Record<string, unknown> = {};
  try {
    events = options.event === undefined ? [] : normalizeBody(readJson(options.event), options.source, Date.now(), options.source === undefined ? undefined : cliSourceTable());
    fixtures = {
      ...(options.llm ? { llm: readJson(options.llm) as Record<string, unknown> } : {}),
      ...(options.memory ? { memory: readJson(options.memory) as unknown[] } : {}),
      ...(options.tools ? { tools: readJson(options.tools) as Record<string, unknown> } : {}),
      ...(options.shell ? { shell: readJson(options.shell) as Record<string, unknown> } : {}),
      ...(options.http ? { http: readJson(options.http) as Record<string, unknown> } : {}),
    };
    if (options.state) state = readJson(options.state) as Record<string, unknown>;
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error(`${options.state}: a JSON object of state keys`);
  } catch (e) {
    io.stderr(`dry-run: ${describeError(e).message}`);
    return 2;
  }
  const outputs: unknown[] = [];
  if (options.schedule) {
    try {
      const world = createScriptedWorld({ now: options.now!, ...fixtures } as never);
      for (const [key, value] of Object.entries(state)) await world.state.set(key, value as JsonValue);
      const run = await runScheduled(project, world, { playbook: options.playbook!, shadow: options.shadow ?? false });
      if (options.format === 'json') io.stdout(JSON.stringify(redact(run.summary), null, 2));
      else io.stdout(renderSummary(run.summary!));
      return 0;
    } catch (e) {
      const err = describeError(e);
      io.stderr(`dry-run: ${err.code}: ${err.message}`);
      return 2;
    }
  }
  for (const event of events) {
    // The run happens at the event's own time unless --now says otherwise, so a sample is not stale.
    const now = options.now ?? (typeof event['at'] === 'string' ? event['at'] : new Date().toISOString());
    try {
      const world = createScriptedWorld({ now, ...fixtures } as never);
      for (const [key, value] of Object.entries(state)) await world.state.set(key, value as JsonValue);
      const run = await runEvent(project, world, event, { ...(options.playbook ? { playbook: options.playbook } : {}), shadow: options.shadow ?? false });
      if (options.format === 'json') {
        // Redacted as a trace is (the trace inside already is): a password in the body's labels stays masked.
        const output = run.summary ? { ...run.summary, event } : { playbook: null, event, gates: [], path: [], decision: null, commands: [], outcome: 'no_match', skipped: run.skipped };
        outputs.push(redact(output));
      } else {
        io.stdout(run.summary ? renderSummary(run.summary) : `no playbook matched:\n${run.skipped.map((s) => `  ${s.playbook}: ${s.reason}`).join('\n')}`);
      }
    } catch (e) {
      const err = describeError(e);
      io.stderr(`dry-run: ${err.code}: ${err.message}`);
      return 2;
    }
  }
  if (options.format === 'json') io.stdout(JSON.stringify(outputs.length === 1 ? outputs[0] : outputs, null, 2));
  return 0;
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}
