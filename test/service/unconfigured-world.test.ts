import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/observability/logger.ts';
import { answer, request } from '../http/harness.ts';
import { startTestServer, type TestServer } from '../support/embedded-server.ts';

const NOW = '2026-11-21T23:04:00Z';
const body = readFileSync(join(import.meta.dirname, '../../examples/uptime-kuma/down.json'), 'utf8');
const llm = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;

/**
 * A server as a fresh install runs it: scripted models, but no SSH adapter. The restart the
 * models chose never reaches a host, and every record says so.
 */
describe('engine serve without an SSH adapter: the records agree on what did not run', () => {
  let t: TestServer | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('logs the adapters at start; the trace, commands, audit and metrics all say the restart did not run', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await startTestServer({ fixture: { now: NOW, llm }, adapters: ['llm', 'memory', 'notifier'], logger: createLogger({ level: 'info', destination }) });
    const server = t.server;

    const start = lines.find((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('adapters:'));
    expect(start).toMatchObject({ adapters: { configured: ['llm', 'memory', 'notifier'], notConfigured: { shell: expect.stringContaining('no hosts: in engine.config.yaml (docs/ssh.md)'), tools: expect.any(String) } } });
    // Nothing suggests a variable that would change nothing.
    expect(JSON.stringify(start)).not.toMatch(/SSH_USER|SSH_KEY_FILE|MCP_SERVERS|OLLAMA_URL|MEMORY_URL/);

    const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(202);
    const { runs } = (await res.json()) as { runs: string[] };
    await server.settled();

    const run = answer(await request(`${server.url}/runs/${runs[0]}`), 'run');
    expect(run).toMatchObject({ status: 'escalated', decision: 'AUTO_EXECUTE', commands: [] });
    expect(run.not_run).toEqual([expect.objectContaining({ step: 'execute', command: 'systemctl restart -- nginx', status: 'not_run' })]);
    const command = run.trace.find((e) => e.type === 'command');
    expect(command).toMatchObject({ executed: false, status: 'not_run' });
    expect(run.trace.find((e) => e.type === 'step.end' && e.step === 'execute')).toMatchObject({ status: 'error', error: { code: 'ADAPTER_NOT_CONFIGURED' } });

    const audit = answer(await request(`${server.url}/audit?run=${runs[0]}`), 'audit').audit;
    expect(audit).toEqual([expect.objectContaining({ intent: 'restart_service', status: 'not_run' })]);
    expect(audit[0]!.executedAt).toBeUndefined();

    const metrics = (await request(`${server.url}/metrics`)).text;
    expect(metrics).toContain('engine_commands_total{playbook="remediate",intent="restart_service",status="not_run"} 1');
    expect(metrics).not.toMatch(/engine_commands_total\{[^}]*status="succeeded"\}/);
  });
});
