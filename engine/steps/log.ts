import { Type, type Static } from '@sinclair/typebox';
import type { JsonValue } from '../ports/state-store.ts';
import { isShadowed } from '../effects/effect.ts';
import { defineExecutor, perform } from './executor.ts';

const LogInput = Type.Object(
  {
    log: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'The named log: incident_log, agent_log...' }),
    record: Type.Record(Type.String(), Type.Unknown(), { description: 'What to keep: a JSON object.' }),
  },
  { additionalProperties: false },
);

/**
 * Appends a record to a named log in the records store (seed 004's incident log, the agent log),
 * with the run and the time; GET /logs/:name reads it back. Not written in shadow mode.
 */
export const logAppendStep = defineExecutor<Static<typeof LogInput>>({
  name: 'log.append',
  summary: 'Appends a record to a named log in the records (GET /logs/NAME): {log, appended}.',
  effect: 'write',
  input: LogInput,
  defaultTimeoutMs: 10_000,
  run: function* (ctx, input) {
    const entry = { log: input.log, runId: ctx.run.id, playbook: ctx.run.playbook.name, at: ctx.nowIso(), record: input.record as JsonValue };
    const answer = yield* perform({ kind: 'log.append', entry });
    return { log: input.log, appended: !isShadowed(answer) };
  },
});
