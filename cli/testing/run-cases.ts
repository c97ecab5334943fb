import { describeError } from '../../engine/errors.ts';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { checkTestCases } from '../../engine/documents/test-cases.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import type { LoadedYaml } from '../../engine/yaml/load.ts';
import type { JsonValue } from '../../engine/ports/state-store.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import type { PlaybookTestCase, PlaybookTestsDocument } from '../../schemas/playbook-test.ts';
import type { Project } from '../../runtime/project/project.ts';
import { compareExpectations } from './expectations.ts';
import { cliSourceTable, normalizeBody } from './normalize.ts';
import { runEvent, runScheduled } from './run-event.ts';

export interface CaseResult {
  file: string;
  name: string;
  ok: boolean;
  failures: string[];
}

/**
 * Runs every case of a test file against `playbook` (the one its `playbook:` names, found by the
 * caller); a file that does not check gives diagnostics instead.
 */
export async function runCaseFile(project: Project, doc: LoadedYaml, playbook: Playbook): Promise<{ results: CaseResult[]; diagnostics: Diagnostic[] }> {
  const checked = checkTestCases(doc, new Set([playbook.ref.name]));
  if (!checked.tests) return { results: [], diagnostics: checked.diagnostics };
  const tests = checked.tests;
  // The case runs in a project holding its own playbook, wherever that was found.
  const scoped: Project = { ...project, playbooks: [playbook] };
  const results: CaseResult[] = [];
  for (const c of tests.cases) results.push(await runCase(scoped, doc.file, tests, c));
  return { results, diagnostics: [] };
}

async function runCase(project: Project, file: string, tests: PlaybookTestsDocument, c: PlaybookTestCase): Promise<CaseResult> {
  const d = tests.defaults ?? {};
  const pick = <K extends keyof PlaybookTestCase>(k: K) => (c[k] !== undefined ? c[k] : (d as Partial<PlaybookTestCase>)[k]);
  const source = pick('source');
  const baseEvent = { ...(d.event ?? {}), ...(c.event ?? {}) };
  try {
    // Bodies are received at the case's time (so the run is the same on any day), by the
    // sources of the project's engine.config.yaml when a case names one.
    const caseNow = pick('now');
    const receivedAt = caseNow === undefined ? Date.now() : Date.parse(caseNow);
    const table = source === undefined ? undefined : cliSourceTable(process.env, project.root);
    const scheduled = c.trigger === 'schedule';
    // A scheduled run has no event: the schedule fires at now:.
    const event = scheduled ? [] : normalizeBody(baseEvent, source, receivedAt, table);
    const firstAt = c.before?.[0]?.at;
    const now = caseNow ?? (typeof event[0]?.['at'] === 'string' ? (event[0]['at'] as string) : undefined);
    if (!now) throw new Error(scheduled ? 'a scheduled case needs now: (when the schedule fires)' : 'the case needs now: or an event with at:');
    // Scripted answers and tool results merge by role or tool name: a case overrides what it names.
    const llm = { ...(d.llm ?? {}), ...(c.llm ?? {}) };
    const tools = { ...(d.tools ?? {}), ...(c.tools ?? {}) };
    const world = createScriptedWorld({ now: firstAt ?? now, llm, memory: (pick('memory') ?? []) as never, tools, shell: (pick('shell') ?? {}) as never, http: pick('http') ?? {} });
    for (const [key, value] of Object.entries(pick('state') ?? {})) await world.state.set(key, value as JsonValue);
    for (const b of c.before ?? []) {
      world.clock.set(Date.parse(b.at));
      if (b.trigger === 'schedule') {
        await runScheduled(project, world, { playbook: tests.playbook });
        continue;
      }
      const earlier = normalizeBody({ ...baseEvent, at: b.at, ...(b.event ?? {}) }, source, Date.parse(b.at), table);
      for (const e of earlier) await runEvent(project, world, e, { playbook: tests.playbook });
    }
    world.clock.set(Date.parse(now));
    // What the Shell saw before this event is history; the case checks its own commands.
    const shellBefore = world.shell.calls.length;
    const notesBefore = world.notifier.sent.length;
    const toolsBefore = world.tools.calls.length;
    const logsBefore = new Map(Object.keys(c.expect.logs ?? {}).map((log) => [log, world.records.logRecords(log).length]));
    const approvals = pick('approvals');
    const options = { playbook: tests.playbook, shadow: pick('shadow') ?? false, ...(approvals ? { approvals } : {}) };
    const run = scheduled ? await runScheduled(project, world, options) : await runEvent(project, world, event[0]!, options);
    const state: Record<string, unknown> = {};
    for (const key of Object.keys(c.expect.state ?? {})) state[key] = await world.state.get(key);
    const ttls: Record<string, number | null> = {};
    for (const key of Object.keys(c.expect.ttls ?? {})) ttls[key] = await world.state.ttl(key);
    const notifications = world.notifier.sent.slice(notesBefore);
    const failures = compareExpectations(c.expect, run, {
      executed: world.shell.calls.slice(shellBefore).map((call) => call.argv.join(' ')),
      notified: notifications.map((n) => n.channel),
      notifications,
      toolCalls: world.tools.calls.slice(toolsBefore),
      state,
      ttls,
      logs: Object.fromEntries([...logsBefore].map(([log, n]) => [log, world.records.logRecords(log).slice(n).map((r) => r.record)])),
    });
    return { file, name: c.name, ok: failures.length === 0, failures };
  } catch (e) {
    const err = describeError(e);
    return { file, name: c.name, ok: false, failures: [`error: ${err.code}: ${err.message}`] };
  }
}
