import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../engine/trace/trace.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { assembleRuntime, type AssembledRuntime } from '../../runtime/service/assemble.ts';
import { REPO } from '../support/fixture-project.ts';

const NOW = '2026-11-21T23:04:00Z';
const EVENT = { source: 'uptime-kuma', status: 'down', service: 'nginx', host: 'web-1' };

/** A playbook whose version shows in its only step's output. */
const playbook = (version: string, mark: string): string => `apiVersion: heal/v1
kind: Playbook
metadata: { name: pinned, version: ${version}, owner: tests }
on: { webhook: uptime-kuma }
steps:
  - { id: mark, use: value, with: { version: "${mark}" } }
`;

/**
 * The runtime as serve assembles it, without consuming the queue: a run is admitted, the
 * playbooks change and are reloaded, and only then does the worker take the run.
 */
describe('a run executes the playbook version it was admitted with', () => {
  let dir: string;
  let runtime: AssembledRuntime;
  const file = () => join(dir, 'playbooks', 'pinned.yaml');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-pinned-'));
    mkdirSync(join(dir, 'playbooks'));
    writeFileSync(file(), playbook('1.0.0', 'one'));
    const loaded = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', ENGINE_ROOT: REPO, PLAYBOOKS_DIR: join(dir, 'playbooks') }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const world = createScriptedWorld({ now: NOW });
    runtime = await assembleRuntime(loaded.config, { clock: world.clock, ids: new CounterIds(), logger: createLogger({ level: 'silent' }), world: { notifier: world.notifier }, watch: false });
  });
  afterEach(async () => {
    await runtime.profile.queue.stop();
    await runtime.profile.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admit = async (): Promise<{ runId: string; hash: string }> => {
    const admitted = await runtime.admission.admitEvents('uptime-kuma', [EVENT]);
    expect(admitted.runs).toHaveLength(1);
    return { runId: admitted.runs[0]!, hash: runtime.registry.find('pinned')!.ref.hash };
  };
  const output = (trace: readonly TraceEvent[]): unknown => {
    const end = trace.find((e) => e.type === 'step.end' && e.step === 'mark');
    return end?.type === 'step.end' ? end.output : undefined;
  };

  it('runs version 1 when version 2 was loaded after the run was admitted', async () => {
    const { runId, hash } = await admit();
    writeFileSync(file(), playbook('2.0.0', 'two'));
    expect(runtime.registry.reload().applied).toEqual(['pinned']);
    expect(runtime.registry.find('pinned')!.ref.version).toBe('2.0.0');

    const summary = (await runtime.worker.run(runId))!;
    expect(summary.outcome).toBe('succeeded');
    const start = summary.trace.find((e) => e.type === 'run.start');
    expect(start).toMatchObject({ playbook: { name: 'pinned', version: '1.0.0', hash } });
    expect(output(summary.trace)).toEqual({ version: 'one' });
    expect((await runtime.profile.records.getRun(runId))!.result!.playbook.hash).toBe(hash);

    // A run admitted now gets version 2.
    const second = await admit();
    expect(second.hash).not.toBe(hash);
    expect(output((await runtime.worker.run(second.runId))!.trace)).toEqual({ version: 'two' });
  });

  it('runs a queued run whose playbook file was removed by a reload', async () => {
    const { runId, hash } = await admit();
    unlinkSync(file());
    expect(runtime.registry.reload().removed).toEqual(['pinned']);

    const summary = (await runtime.worker.run(runId))!;
    expect(summary.outcome).toBe('succeeded');
    expect(summary.playbook.hash).toBe(hash);
    expect(output(summary.trace)).toEqual({ version: 'one' });
  });

  it('fails a run whose version is no longer loaded, rather than running another version', async () => {
    const { runId } = await admit();
    // As if admitted by another process with a version this one never loaded.
    const row = (await runtime.profile.records.getRun(runId))!;
    const unknown = `sha256:${'0'.repeat(64)}`;
    const unloaded = { ...row, runId: 'run_unloaded', playbook: { ...row.playbook, version: '0.9.0', hash: unknown } };
    await runtime.profile.records.commitIngest({ events: [], runs: [unloaded] });

    const summary = (await runtime.worker.run('run_unloaded'))!;
    const reason = `playbook pinned version 0.9.0 (${unknown}) is no longer loaded; the run was admitted with it and is not run with another version`;
    expect(summary).toMatchObject({ outcome: 'failed', reason, path: [] });
    expect(await runtime.profile.records.getRun('run_unloaded')).toMatchObject({ status: 'failed', reason });
  });
});
