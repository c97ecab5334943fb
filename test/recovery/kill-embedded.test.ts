import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer } from '../../runtime/service/server.ts';
import { answer, request } from '../http/harness.ts';
import { REPO } from '../support/fixture-project.ts';
import { runChildUntilKilled } from './kill-harness.ts';
import { KILL_NOW, KILL_PLAYBOOK, SHELL } from './kill-world.ts';

const body = readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8');

interface Project {
  root: string;
  env: Record<string, string>;
  calls: string;
}

function project(): Project {
  const root = mkdtempSync(join(tmpdir(), 'engine-kill-'));
  mkdirSync(join(root, 'playbooks'));
  writeFileSync(join(root, 'playbooks', 'crashy.yaml'), KILL_PLAYBOOK);
  const calls = join(root, 'calls.log');
  writeFileSync(calls, '');
  return { root, calls, env: { DATA_DIR: join(root, 'data'), ENGINE_ROOT: REPO, PLAYBOOKS_DIR: join(root, 'playbooks'), CALLS_LOG: calls } };
}

const post = async (url: string): Promise<void> => {
  const res = await fetch(`${url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
};

/** Starts a fresh engine serve on the folder the killed one used: it recovers and finishes the run. */
async function recover(p: Project) {
  const loaded = loadConfig({ ...p.env, PORT: '0' }, process.cwd());
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const world = createScriptedWorld({ now: KILL_NOW, shell: SHELL });
  const server = await startServer(loaded.config, { clock: world.clock, ids: new CounterIds(), logger: createLogger({ level: 'silent' }), world, watch: false });
  await server.settled();
  const runs = answer(await request(`${server.url}/runs`), 'runs').runs;
  const run = answer(await request(`${server.url}/runs/${runs[0]!.runId}`), 'run');
  const audit = answer(await request(`${server.url}/audit?run=${run.runId}`), 'audit').audit;
  await server.close();
  return { run, audit, shell: world.shell.calls.map((c) => c.argv.join(' ')), notified: world.notifier.sent.length };
}

const executed = (p: Project): string[] => (existsSync(p.calls) ? readFileSync(p.calls, 'utf8').split('\n').filter(Boolean) : []);

/**
 * The engine process is killed (SIGKILL) at every effect boundary of a run — just before each
 * port call and just after it returned — and a new process on the same data folder finishes the
 * run: it ends as an uninterrupted run does, and the restart never runs twice.
 */
describe('kill at every effect boundary (embedded profile): the run recovers from its journal', () => {
  const roots: string[] = [];
  let boundaries: string[] = [];
  let baseline: Awaited<ReturnType<typeof recover>>;

  beforeAll(async () => {
    const p = project();
    roots.push(p.root);
    const child = await runChildUntilKilled(p.env, 'none:none', post);
    expect(child.killed).toBe(false);
    boundaries = child.lines.filter((l) => / before /.test(l)).map((l) => l.split(' ').slice(1, 2).concat(l.split(' ')[3]!).join(' '));
    baseline = await recover(p);
  }, 60_000);

  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('the uninterrupted run passes every kind of effect', () => {
    expect(boundaries.map((b) => b.split(' ')[1])).toEqual([
      'state.get', 'state.get', 'records.appendAudit', 'state.setIfAbsent', 'shell.exec', 'records.completeAudit', 'shell.exec', 'state.set', 'notifier.send',
    ]);
    expect(baseline.run).toMatchObject({ status: 'succeeded', path: ['look', 'restart', 'mark', 'tell'], commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx'] });
  });

  const points = Array.from({ length: 9 }, (_, i) => i + 1).flatMap((n) => [`${n}:before`, `${n}:after`]);
  it.each(points)('killed at %s: ends as the uninterrupted run, the restart ran at most once, the audit is complete', async (point) => {
    const p = project();
    roots.push(p.root);
    const child = await runChildUntilKilled(p.env, point, post);
    expect(child.killed).toBe(true);
    const r = await recover(p);
    const restarts = [...executed(p), ...r.shell].filter((c) => c === 'systemctl restart -- nginx');
    expect(restarts.length).toBeLessThanOrEqual(1);
    expect(r.run).toMatchObject({ status: 'succeeded', path: ['look', 'restart', 'mark', 'tell'], decision: null });
    // The restart in flight when the process died (between its journal entry and its result) is checked, not repeated.
    const inFlight = point === '5:before' || point === '5:after';
    // Checked by its verify: (reconciliation), then verified as every change is.
    if (inFlight) expect(r.shell).toEqual(['systemctl is-active -- nginx', 'systemctl is-active -- nginx']);
    else expect(restarts).toEqual(['systemctl restart -- nginx']);
    expect(r.audit).toEqual([expect.objectContaining({ intent: 'restart_service', status: 'success' })]);
  }, 60_000);
});
