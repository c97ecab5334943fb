import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { replayCommand } from '../../cli/commands/replay.ts';
import { answer, postJson, request } from '../http/harness.ts';
import { startTestServer, type TestServer } from '../support/embedded-server.ts';
import { FIXTURE_PLAYBOOKS, REPO } from '../support/fixture-project.ts';
import { captureIo } from './capture.ts';

/**
 * `engine replay` end to end: a run recorded by an embedded server in a project of its own (the
 * tests' remediate playbook, the shipped catalog and prompts), replayed from the same DATA_DIR
 * against the version it was admitted with, against a changed file, and saved as a test case
 * that `engine test` passes.
 */

const NOW = '2026-11-21T23:04:00.000Z';
const llm = JSON.parse(readFileSync(join(REPO, 'examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;
const REMEDIATE = readFileSync(join(FIXTURE_PLAYBOOKS, 'remediate.yaml'), 'utf8');
/** The same playbook with a stricter decision table: a confidence of 0.9 no longer executes. */
const STRICTER = REMEDIATE.replace('diagnosis.confidence >= 0.8', 'diagnosis.confidence >= 0.95');

let project: string;
let t: TestServer;
let runId: string;

/** `node bin/engine.js ARGS` in the project, reading the server's records, as a user would. */
function engine(args: readonly string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/engine.js'), ...args], {
    cwd: project,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ENGINE_ROOT: project, DATA_DIR: t.dataDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function replay(args: { playbook?: string; saveCase?: string; json?: boolean; env?: Record<string, string> }, run = runId) {
  const c = captureIo();
  const { env, ...options } = args;
  const code = await replayCommand(run, options, c.io, { env: { ENGINE_ROOT: project, DATA_DIR: t.dataDir, ...env }, cwd: project });
  return { code, stdout: c.stdout.join('\n'), stderr: c.stderr.join('\n') };
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'engine-replay-'));
  cpSync(join(REPO, 'intents'), join(project, 'intents'), { recursive: true });
  cpSync(join(REPO, 'prompts'), join(project, 'prompts'), { recursive: true });
  mkdirSync(join(project, 'playbooks'));
  writeFileSync(join(project, 'playbooks/remediate.yaml'), REMEDIATE);
  mkdirSync(join(project, 'changed'));
  writeFileSync(join(project, 'changed/remediate.yaml'), STRICTER);
  t = await startTestServer({ env: { ENGINE_ROOT: project, PLAYBOOKS_DIR: join(project, 'playbooks') }, fixture: { now: NOW, llm } });
  const reply = await postJson(`${t.server.url}/hooks/uptime-kuma`, JSON.parse(readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8')));
  expect(reply.status, reply.text).toBe(202);
  runId = answer(reply, 'hook').runs[0]!;
  await t.server.settled();
  const run = answer(await request(`${t.server.url}/runs/${runId}`), 'run');
  expect(run).toMatchObject({ status: 'succeeded', decision: 'AUTO_EXECUTE' });
});

afterAll(async () => {
  await t?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('engine replay RUN', () => {
  it('against the version it was admitted with: no divergence, exit 0', () => {
    const r = engine(['replay', runId]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^replay ${runId}: no divergence: \\d+ effects, same path, outcome succeeded$`));
  });

  it('--json prints the result object', async () => {
    const r = await replay({ json: true });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ runId, divergence: null, outcome: 'succeeded', decision: 'AUTO_EXECUTE', path: ['diagnosis', 'validation', 'decision', 'route', 'execute', 'verify', 'verified'] });
    expect(out['playbook']).toMatchObject({ recorded: { name: 'remediate' }, file: expect.stringMatching(/remediate\.yaml$/) });
  });

  it('--playbook with a changed decision table: the first divergence, its step, recorded and wanted; exit 1', async () => {
    const json = await replay({ playbook: join(project, 'changed/remediate.yaml'), json: true });
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { divergence: Record<string, unknown>; decision: string };
    expect(out.decision).toBe('ESCALATE_N2');
    expect(out.divergence).toMatchObject({ kind: 'unrecorded', step: 'escalate', wanted: { request: { kind: 'notify.send' } }, recorded: { step: 'execute' } });
    const text = await replay({ playbook: join(project, 'changed/remediate.yaml') });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^replay ${runId}: diverges at step escalate \\(after 2 of \\d+ recorded answers\\)`));
    expect(text.stdout).toMatch(/\n {2}recorded +\S+\/execute\/1\/1 /);
    expect(text.stdout).toMatch(/\n {2}wanted +\S+\/escalate\/1\/1 notify\.send /);
  });

  it('when the playbooks folder holds another version, says to pass --playbook (exit 2); an unknown run is exit 2', async () => {
    const r = await replay({ env: { PLAYBOOKS_DIR: join(project, 'changed') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REPLAY_PLAYBOOK: .*remediate\.yaml holds remediate version 1\.0\.0 \(sha256:\w+\), not the version 1\.0\.0 \(sha256:\w+\) the run was admitted with: pass --playbook FILE/);
    const unknown = await replay({}, 'run_nope');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/REPLAY_UNKNOWN_RUN: no run run_nope/) });
  });

  it('--save-case writes an engine test case that passes against the same playbook; a second save appends', async () => {
    const file = join(project, 'playbooks/tests/replayed.yaml');
    mkdirSync(join(project, 'playbooks/tests'), { recursive: true });
    const saved = await replay({ saveCase: file });
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/saved case "replay of .*" to .*replayed\.yaml \(created\)/);
    const doc = parse(readFileSync(file, 'utf8')) as { playbook: string; cases: Record<string, unknown>[] };
    expect(doc.playbook).toBe('remediate');
    expect(doc.cases[0]).toMatchObject({
      now: NOW,
      event: { source: 'uptime-kuma', service: 'nginx', host: 'web-1' },
      llm: { diagnostician: llm['diagnostician'], validator: llm['validator'] },
      shell: { 'systemctl restart -- nginx': { exitCode: 0 }, 'systemctl is-active -- nginx': { exitCode: 0 } },
      expect: {
        path: ['diagnosis', 'validation', 'decision', 'route', 'execute', 'verify', 'verified'],
        decision: 'AUTO_EXECUTE',
        commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx', 'systemctl is-active -- nginx'],
        outcome: 'succeeded',
      },
    });
    expect((await replay({ saveCase: file })).stdout).toMatch(/\(appended\)/);
    expect((parse(readFileSync(file, 'utf8')) as { cases: unknown[] }).cases).toHaveLength(2);

    const tested = engine(['test', 'playbooks/tests/replayed.yaml']);
    expect(tested.stdout).toMatch(/2 passed, 0 failed/);
    expect(tested.code).toBe(0);
  });

  it('--save-case refuses a file that holds cases for another playbook, and leaves it as it is', async () => {
    const file = join(project, 'other.yaml');
    writeFileSync(file, 'playbook: supervisor\ncases: []\n');
    const r = await replay({ saveCase: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REPLAY_CASE_FILE: .*holds cases for playbook "supervisor", not remediate/);
    expect(readFileSync(file, 'utf8')).toBe('playbook: supervisor\ncases: []\n');
    expect(existsSync(join(project, 'data'))).toBe(false);
  });
});
