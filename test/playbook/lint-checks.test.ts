/** What lint checks beyond the schema: literal inputs, event fields, schedules; and what it leaves alone. */
import { describe, expect, it, vi } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { schemaProblems } from '../../engine/steps/input-check.ts';
import { notifyStep } from '../../engine/steps/notify.ts';
import { scheduleProblems } from '../../engine/schedules/check.ts';
import { checkScheduleSpecs } from '../../runtime/schedules/embedded-schedules.ts';
import { CAPS } from '../run/harness.ts';

const header = (on: string) => `apiVersion: heal/v1\nkind: Playbook\nmetadata: { name: t, version: "1" }\non: ${on}\n`;
const lint = (on: string, body: string) => loadPlaybook('t.yaml', header(on) + body, CAPS).diagnostics.map(formatDiagnostic);

describe('literal with: values', () => {
  it('refuses at lint what the executor refuses at run time', () => {
    const value = { channel: 'ops', severity: 'informational', subject: 'x' };
    expect(schemaProblems(notifyStep.input, value)).not.toEqual([]);
    const found = lint('{ webhook: uptime-kuma }', 'steps:\n  - { id: n, use: notify.send, with: { channel: ops, severity: informational, subject: x } }\n');
    expect(found).toEqual(['t.yaml:6:64: STEP_INVALID_INPUT: notify.send: with.severity must be one of: info, warning, critical (got informational)']);
  });

  it('leaves values with ${...} to the run, and accepts good literals', () => {
    expect(lint('{ webhook: uptime-kuma }', 'steps:\n  - { id: n, use: notify.send, with: { channel: ops, severity: "${event.severity}", subject: x } }\n')).toEqual([]);
    expect(lint('{ webhook: uptime-kuma }', 'steps:\n  - { id: n, use: notify.send, with: { channel: ops, severity: warning, subject: x } }\n')).toEqual([]);
    expect(lint('{ webhook: uptime-kuma }', 'steps:\n  - { id: t, use: tool.call, with: { name: x, args: { a: "${event.host}", b: 2 } } }\n')).toEqual([]);
  });

  it('checks literals inside a nested literal value too', () => {
    expect(lint('{ webhook: uptime-kuma }', 'steps:\n  - { id: t, use: tool.call, with: { name: x, args: [1] } }\n')).toEqual([
      't.yaml:6:53: STEP_INVALID_INPUT: tool.call: with.args must be a mapping (got a list)',
    ]);
  });
});

describe('event fields', () => {
  it('a JSON Logic var is checked as well', () => {
    expect(lint('{ webhook: uptime-kuma, when: {"==": [{"var": "event.stauts"}, "down"]} }', 'steps:\n  - { id: a, use: value }\n')).toEqual([
      "t.yaml:4:35: EXPR_UNKNOWN_FIELD: event has no field 'stauts' (at /==/0/var) (did you mean 'status'?)",
    ]);
  });

  it('labels take any key; deeper paths are not checked', () => {
    expect(lint('{ webhook: uptime-kuma, when: event.labels.anything == "x" and event.service.x == null }', 'steps:\n  - { id: a, use: value }\n')).toEqual([]);
  });

  it('is not checked where the event is not a webhook event: a schedule, an approval, a for_each as: event', () => {
    expect(lint('{ schedule: { every: 30s } }', 'steps:\n  - { id: a, use: value, with: { x: "${event.whatever}" } }\n')).toEqual([]);
    expect(lint('{ approval: true }', 'steps:\n  - { id: a, use: value, with: { x: "${event.whatever}" } }\n')).toEqual([]);
    expect(lint('{ webhook: uptime-kuma }', 'steps:\n  - id: e\n    for_each: event.labels\n    as: event\n    steps:\n      - { id: a, use: value, with: { x: "${event.whatever}" } }\n')).toEqual([]);
  });
});

describe('schedules', () => {
  it('lint and the schedule drivers refuse the same schedules', () => {
    const cases = [
      { every: '0s', spec: { everyMs: 0, cron: null, timezone: null } },
      { cron: '0 18 * *', spec: { everyMs: null, cron: '0 18 * *', timezone: null } },
      { cron: '2026-01-01T00:00:00', spec: { everyMs: null, cron: '2026-01-01T00:00:00', timezone: null } },
      { cron: '0 18 * * *', timezone: 'Europe/Pariss', spec: { everyMs: null, cron: '0 18 * * *', timezone: 'Europe/Pariss' } },
    ];
    for (const { spec, ...schedule } of cases) {
      const found = lint(`{ schedule: ${JSON.stringify(schedule)} }`, 'steps:\n  - { id: a, use: value }\n');
      expect(found.some((d) => /SCHEDULE_(EVERY|CRON|TIMEZONE)/.test(d) && !d.includes('warning'))).toBe(true);
      expect(() => checkScheduleSpecs([{ playbook: 't', ...spec }])).toThrow(/SCHEDULE_INVALID|playbook t/);
    }
    expect(lint('{ schedule: { cron: "0 18 * * *", timezone: Europe/Paris } }', 'steps:\n  - { id: a, use: value }\n')).toEqual([]);
    expect(() => checkScheduleSpecs([{ playbook: 't', everyMs: null, cron: '0 18 * * *', timezone: 'Europe/Paris' }])).not.toThrow();
  });

  it('checking a schedule starts no timer and reads no clock (croner only parses here)', () => {
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    const interval = vi.spyOn(globalThis, 'setInterval');
    const now = vi.spyOn(Date, 'now');
    try {
      expect(scheduleProblems({ everyMs: null, cron: '0 18 * * *', timezone: 'Europe/Paris' })).toEqual([]);
      expect(scheduleProblems({ everyMs: null, cron: '61 * * * *', timezone: null }).map((p) => p.code)).toEqual(['SCHEDULE_CRON']);
      expect(timeout).not.toHaveBeenCalled();
      expect(interval).not.toHaveBeenCalled();
      expect(now).not.toHaveBeenCalled();
    } finally {
      timeout.mockRestore();
      interval.mockRestore();
      now.mockRestore();
    }
  });

  it('a time zone without cron: is a warning, not an error', () => {
    expect(lint('{ schedule: { every: 30s, timezone: UTC } }', 'steps:\n  - { id: a, use: value }\n')).toEqual([
      't.yaml:4:41: warning: SCHEDULE_TIMEZONE: timezone: only applies to cron:; an every: schedule ignores it',
    ]);
  });
});
