import { describe, expect, it } from 'vitest';
import type { Effect } from '../../engine/effects/effect.ts';
import type { ReplayResult } from '../../engine/run/replay.ts';
import { renderReplay } from '../../cli/replay/render.ts';

const base: ReplayResult = { divergence: null, outcome: 'succeeded', decision: 'FIX', path: ['a', 'b'], reason: null, effects: 4, answered: 4, trace: [] };
const notify = (subject: string): Effect => ({ id: 'run_1/tell/1/1', step: 'tell', mode: 'write', request: { kind: 'notify.send', notification: { channel: 'ops', severity: 'info', subject, body: '' } }, timeout: null });

describe('engine replay for people', () => {
  it('one line when nothing diverged', () => {
    expect(renderReplay('run_1', base, 4)).toEqual(['replay run_1: no divergence: 4 effects, same path, outcome succeeded']);
  });

  it('a changed request: the step, the first differing field with both values, both requests', () => {
    const lines = renderReplay('run_1', {
      ...base,
      divergence: { kind: 'request', step: 'tell', effectId: 'run_1/tell/1/1', field: { path: 'notification.subject', recorded: 'fixed', wanted: 'repaired' }, recorded: notify('fixed').request, wanted: notify('repaired').request, answered: 3 },
    }, 4);
    expect(lines).toEqual([
      'replay run_1: diverges at step tell (after 3 of 4 recorded answers): the new version asks for run_1/tell/1/1 with another request',
      '  field     notification.subject: "fixed" → "repaired"',
      '  recorded  notify.send {"notification":{"channel":"ops","severity":"info","subject":"fixed","body":""}}',
      '  wanted    notify.send {"notification":{"channel":"ops","severity":"info","subject":"repaired","body":""}}',
      '  path      a → b',
    ]);
  });

  it('another path, and another end', () => {
    const path = renderReplay('run_1', { ...base, divergence: { kind: 'path', step: 'tell', effectId: 'run_1/tell/1/1', recorded: notify('x'), path: ['a'], answered: 2 } }, 4);
    expect(path[0]).toBe('replay run_1: diverges at step tell (after 2 of 4 recorded answers): the recorded run went on at this step; the new version took another path');
    expect(path.slice(2)).toEqual(['  wanted    (nothing: the new version ended succeeded, decision FIX)', '  path      a']);
    const end = renderReplay('run_1', {
      ...base,
      divergence: { kind: 'end', fields: ['decision'], recorded: { outcome: 'succeeded', decision: 'OK', path: ['a'] }, replayed: { outcome: 'succeeded', decision: 'KO', path: ['a'] }, answered: 4 },
    }, 4);
    expect(end).toEqual([
      'replay run_1: diverges at the end (after 4 of 4 recorded answers): the runs end differently (decision)',
      '  recorded  outcome succeeded, decision OK, path a',
      '  wanted    outcome succeeded, decision KO, path a',
    ]);
  });
});
