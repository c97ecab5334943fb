import { describe, expect, it } from 'vitest';
import { createScriptedWorld } from '../../runtime/recording/world.ts';

describe('createScriptedWorld', () => {
  it('builds every port from one fixture, sharing the clock', async () => {
    const world = createScriptedWorld({
      now: '2025-01-15T10:00:00Z',
      llm: { diagnostician: { intent: 'restart_service', target: 'nginx', confidence: 0.9, reasoning: 'r' } },
      memory: [{ score: 0.9, intent: 'restart_service', target: 'nginx', success: true, risk: 'low' }],
      tools: { glpi_status: { up: true } },
      shell: { 'systemctl is-active -- nginx': { stdout: 'active' } },
    });
    const { ports } = world;
    expect(ports.clock.now()).toBe(Date.UTC(2025, 0, 15, 10));
    expect(ports.ids.next('run_')).toBe('run_0001');
    expect(JSON.parse((await ports.llm.complete({ role: 'diagnostician', model: 'm', system: '', prompt: '' })).text))
      .toMatchObject({ intent: 'restart_service' });
    expect(await ports.memory.search('nginx', 1)).toHaveLength(1);
    expect(await ports.tools.call('glpi_status', {})).toEqual({ up: true });
    expect((await ports.shell.exec({ host: 'h', argv: ['systemctl', 'is-active', '--', 'nginx'], timeoutMs: 1 })).stdout)
      .toBe('active');
    await ports.notifier.send({ channel: 'ops', severity: 'info', subject: 's', body: 'b' });
    expect(world.llm.calls).toHaveLength(1);
    expect(world.shell.calls).toHaveLength(1);
    expect(world.tools.calls).toHaveLength(1);
    expect(world.notifier.sent).toHaveLength(1);

    await ports.state.set('k', 1, 1000);
    world.clock.advance(1000);
    expect(await ports.state.get('k')).toBeNull();
    expect(ports.records).toBe(world.records);
  });

  it('accepts epoch ms and works with no scripts at all', async () => {
    const world = createScriptedWorld({ now: 0 });
    expect(world.clock.now()).toBe(0);
    expect(await world.ports.memory.search('x', 3)).toEqual([]);
    await expect(world.ports.llm.complete({ role: 'validator', model: 'm', system: '', prompt: '' })).rejects.toMatchObject({
      code: 'LLM_NO_SCRIPT',
    });
    expect((await world.ports.shell.exec({ host: null, argv: ['true'], timeoutMs: 1 })).exitCode).toBe(0);
  });

  it('refuses a start time that is not epoch ms or an ISO date-time', () => {
    for (const now of ['yesterday', 'March 3 2025', Number.NaN, '2025-13-45T99:00:00Z']) {
      expect(() => createScriptedWorld({ now })).toThrow(expect.objectContaining({ code: 'WORLD_INVALID_NOW' }));
    }
  });
});
