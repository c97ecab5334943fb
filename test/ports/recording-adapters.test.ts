import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../engine/errors.ts';
import type { MemoryHit } from '../../engine/ports/memory.ts';
import { ScriptedLlm } from '../../runtime/recording/llm.ts';
import { FixtureMemory } from '../../runtime/recording/memory.ts';
import { RecordingNotifier } from '../../runtime/recording/notifier.ts';
import { RecordingShell } from '../../runtime/recording/shell.ts';
import { FixtureTools } from '../../runtime/recording/tools.ts';

const ask = (role: string, prompt = 'p') => ({ role, model: 'qwen2.5-coder:3b', system: 's', prompt });

describe('ScriptedLlm', () => {
  const diagnosis = { intent: 'restart_service', target: 'nginx', confidence: 0.9, reasoning: 'down' };

  it('answers an object as JSON text, at every call, and records requests', async () => {
    const llm = new ScriptedLlm({ diagnostician: diagnosis });
    const a = await llm.complete({ ...ask('diagnostician', 'first'), schema: {} });
    const b = await llm.complete(ask('diagnostician', 'second'));
    expect(JSON.parse(a.text)).toEqual(diagnosis);
    expect(b.text).toBe(a.text);
    expect(a.model).toBe('qwen2.5-coder:3b');
    expect(llm.calls).toEqual([
      { role: 'diagnostician', model: 'qwen2.5-coder:3b', system: 's', prompt: 'first' },
      { role: 'diagnostician', model: 'qwen2.5-coder:3b', system: 's', prompt: 'second' },
    ]);
  });

  it('returns a string answer as is', async () => {
    const llm = new ScriptedLlm({ expert: 'not json at all' });
    expect((await llm.complete(ask('expert'))).text).toBe('not json at all');
  });

  it('answers a list one call each, then rejects naming the role', async () => {
    const llm = new ScriptedLlm({ validator: [{ agreement: 'AGREE' }, 'second'] });
    expect(JSON.parse((await llm.complete(ask('validator'))).text)).toEqual({ agreement: 'AGREE' });
    expect((await llm.complete(ask('validator'))).text).toBe('second');
    const error = await llm.complete(ask('validator')).catch((e: unknown) => e);
    expect(isEngineError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'LLM_SCRIPT_EXHAUSTED', retryable: false });
    expect((error as Error).message).toContain('validator');
    expect(llm.calls).toHaveLength(3);
  });

  it('rejects a role without script with LLM_NO_SCRIPT', async () => {
    const llm = new ScriptedLlm({ diagnostician: diagnosis });
    await expect(llm.complete(ask('architect'))).rejects.toMatchObject({ code: 'LLM_NO_SCRIPT' });
  });

  it('fails a call scripted as an error with its code', async () => {
    const llm = new ScriptedLlm({ expert: [{ error: { code: 'LLM_TIMEOUT', message: 'too slow', retryable: true } }, 'ok'] });
    await expect(llm.complete(ask('expert'))).rejects.toMatchObject({ code: 'LLM_TIMEOUT', retryable: true });
    expect((await llm.complete(ask('expert'))).text).toBe('ok');
  });

  it('is not changed by mutating the script after construction', async () => {
    const script = { diagnostician: { ...diagnosis } };
    const llm = new ScriptedLlm(script);
    script.diagnostician.target = 'sshd';
    expect(JSON.parse((await llm.complete(ask('diagnostician'))).text).target).toBe('nginx');
  });

  it('rejects with the reason of an aborted signal', async () => {
    const reason = new Error('cancelled');
    const llm = new ScriptedLlm({ expert: 'x' });
    await expect(llm.complete({ ...ask('expert'), signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('RecordingShell', () => {
  const req = (...argv: string[]) => ({ host: 'web-01', argv, timeoutMs: 30_000 });

  it('answers a clean exit by default and records every request', async () => {
    const shell = new RecordingShell();
    const request = req('systemctl', 'restart', '--', 'nginx');
    expect(await shell.exec(request)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    request.argv.push('mutated');
    expect(shell.calls).toEqual([{ host: 'web-01', argv: ['systemctl', 'restart', '--', 'nginx'], timeoutMs: 30_000 }]);
  });

  it('answers per command, one result or a list, filling missing fields', async () => {
    const shell = new RecordingShell({
      'systemctl is-active -- nginx': [{ exitCode: 3, stdout: 'inactive' }, { stdout: 'active' }],
      'journalctl -u nginx': { stdout: 'log line' },
    });
    expect(await shell.exec(req('systemctl', 'is-active', '--', 'nginx'))).toEqual({
      exitCode: 3,
      stdout: 'inactive',
      stderr: '',
    });
    expect(await shell.exec(req('systemctl', 'is-active', '--', 'nginx'))).toEqual({
      exitCode: 0,
      stdout: 'active',
      stderr: '',
    });
    await expect(shell.exec(req('systemctl', 'is-active', '--', 'nginx'))).rejects.toMatchObject({
      code: 'SHELL_SCRIPT_EXHAUSTED',
    });
    expect((await shell.exec(req('journalctl', '-u', 'nginx'))).stdout).toBe('log line');
    expect((await shell.exec(req('journalctl', '-u', 'nginx'))).stdout).toBe('log line');
    expect(await shell.exec(req('uptime'))).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('answers a list in call order, then rejects', async () => {
    const shell = new RecordingShell([{ stdout: 'one' }, { exitCode: null, stderr: 'killed' }]);
    expect((await shell.exec(req('a'))).stdout).toBe('one');
    expect(await shell.exec(req('b'))).toEqual({ exitCode: null, stdout: '', stderr: 'killed' });
    await expect(shell.exec(req('c'))).rejects.toMatchObject({ code: 'SHELL_SCRIPT_EXHAUSTED' });
  });

  it('fails a call scripted as an error, and refuses a result that is not an object', async () => {
    const shell = new RecordingShell({
      uptime: { error: { code: 'SSH_UNREACHABLE', message: 'no route', retryable: true } },
      odd: 'text',
    });
    await expect(shell.exec(req('uptime'))).rejects.toMatchObject({ code: 'SSH_UNREACHABLE', retryable: true });
    await expect(shell.exec(req('odd'))).rejects.toMatchObject({ code: 'SHELL_SCRIPT_INVALID' });
  });

  it('returns a fresh result each call', async () => {
    const shell = new RecordingShell({ x: { stdout: 'v' } });
    const first = await shell.exec(req('x'));
    first.stdout = 'changed';
    expect((await shell.exec(req('x'))).stdout).toBe('v');
  });
});

describe('FixtureMemory', () => {
  const hit = (score: number, intent: string): MemoryHit => ({ score, intent, target: 'nginx', success: true, risk: 'low' });

  it('returns hits best first, cut to top, and records searches', async () => {
    const memory = new FixtureMemory([hit(0.5, 'a'), hit(0.9, 'b'), hit(0.7, 'c'), hit(0.9, 'd')]);
    expect((await memory.search('nginx down', 3)).map((h) => h.intent)).toEqual(['b', 'd', 'c']);
    expect(await memory.search('x', 0)).toEqual([]);
    expect(await memory.search('x', 10)).toHaveLength(4);
    expect(memory.searches).toEqual([
      { text: 'nginx down', top: 3 },
      { text: 'x', top: 0 },
      { text: 'x', top: 10 },
    ]);
  });

  it('records remembered incidents without making them searchable, and copies', async () => {
    const memory = new FixtureMemory([]);
    const incident = { text: 'nginx down', intent: 'restart_service', target: 'nginx', success: true, risk: 'low' };
    await memory.remember(incident);
    incident.success = false;
    expect(memory.remembered).toEqual([{ ...incident, success: true }]);
    expect(await memory.search('nginx down', 3)).toEqual([]);
    const fixture = [hit(0.8, 'a')];
    const m2 = new FixtureMemory(fixture);
    fixture[0]!.score = 0;
    (await m2.search('t', 1))[0]!.intent = 'mutated';
    expect(await m2.search('t', 1)).toEqual([hit(0.8, 'a')]);
  });
});

describe('RecordingNotifier', () => {
  it('records what it was asked to send', async () => {
    const notifier = new RecordingNotifier();
    const n = { channel: 'ops', severity: 'critical' as const, subject: 'nginx down', body: 'escalated' };
    await notifier.send(n);
    n.subject = 'mutated';
    expect(notifier.sent).toEqual([{ channel: 'ops', severity: 'critical', subject: 'nginx down', body: 'escalated' }]);
  });
});

describe('FixtureTools', () => {
  it('answers one value at every call, a list one call each, and records calls', async () => {
    const tools = new FixtureTools({
      glpi_status: { up: true },
      create_ticket: [{ id: 1 }, { id: 2 }],
      list_hosts: [['web-01', 'web-02']],
    });
    expect(await tools.call('glpi_status', {})).toEqual({ up: true });
    expect(await tools.call('glpi_status', {})).toEqual({ up: true });
    expect(await tools.call('create_ticket', { title: 'a' })).toEqual({ id: 1 });
    expect(await tools.call('create_ticket', { title: 'b' })).toEqual({ id: 2 });
    await expect(tools.call('create_ticket', { title: 'c' })).rejects.toMatchObject({ code: 'TOOL_SCRIPT_EXHAUSTED' });
    expect(await tools.call('list_hosts', {})).toEqual(['web-01', 'web-02']);
    expect(tools.calls.map((c) => c.name)).toEqual([
      'glpi_status',
      'glpi_status',
      'create_ticket',
      'create_ticket',
      'create_ticket',
      'list_hosts',
    ]);
    expect(tools.calls[2]).toEqual({ name: 'create_ticket', args: { title: 'a' } });
  });

  it('rejects with the scripted error, alone or inside a list', async () => {
    const tools = new FixtureTools({
      glpi_status: { error: { code: 'GLPI_DOWN', message: 'GLPI unreachable' } },
      flaky: [{ error: { code: 'MCP_TIMEOUT', message: 'slow', retryable: true } }, 'ok'],
    });
    const error = await tools.call('glpi_status', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GLPI_DOWN', message: 'GLPI unreachable', retryable: false });
    await expect(tools.call('flaky', {})).rejects.toMatchObject({ code: 'MCP_TIMEOUT', retryable: true });
    expect(await tools.call('flaky', {})).toBe('ok');
  });

  it('returns an object with an error key among others as data', async () => {
    const tools = new FixtureTools({ t: { error: { code: 'X' }, partial: true } });
    expect(await tools.call('t', {})).toEqual({ error: { code: 'X' }, partial: true });
  });

  it('rejects an unknown tool with TOOL_NO_FIXTURE', async () => {
    await expect(new FixtureTools({}).call('nope', {})).rejects.toMatchObject({ code: 'TOOL_NO_FIXTURE' });
  });

  it('copies arguments and results', async () => {
    const tools = new FixtureTools({ t: { nested: { v: 1 } } });
    const args = { a: [1] };
    const out = (await tools.call('t', args)) as { nested: { v: number } };
    args.a.push(2);
    out.nested.v = 2;
    expect(tools.calls[0]?.args).toEqual({ a: [1] });
    expect(await tools.call('t', {})).toEqual({ nested: { v: 1 } });
  });
});
