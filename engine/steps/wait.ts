import { Type, type Static } from '@sinclair/typebox';
import { EngineError } from '../errors.ts';
import { parseDuration } from '../expr/index.ts';
import { defineExecutor, perform } from './executor.ts';

const WaitInput = Type.Object(
  {
    for: Type.Optional(Type.String({ description: 'How long to wait, such as 10m (at most 7d).' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Or the time to wait until (ISO 8601).' })),
  },
  { additionalProperties: false },
);

const MAX_WAIT_MS = 7 * 24 * 3_600_000;

/**
 * Waits on a durable timer: the run is suspended (nothing in memory) and any process resumes it
 * when the time comes, after a restart too. In shadow mode it does not wait.
 */
export const waitStep = defineExecutor<Static<typeof WaitInput>>({
  name: 'wait',
  summary: 'Suspends the run on a durable timer: for: 10m, or until: an ISO time.',
  effect: 'pure',
  input: WaitInput,
  // A wait outlives any step timeout: its own time is its bound.
  defaultTimeoutMs: MAX_WAIT_MS + 60_000,
  run: function* (ctx, input) {
    if ((input.for === undefined) === (input.until === undefined)) throw new EngineError('STEP_INPUT', 'wait: give exactly one of for: or until:');
    const now = Date.parse(ctx.nowIso());
    let until: number;
    if (input.for !== undefined) {
      const ms = parseDuration(input.for);
      if (ms === null) throw new EngineError('STEP_INPUT', `wait: bad duration ${JSON.stringify(input.for)}`);
      until = now + ms;
    } else {
      until = Date.parse(input.until!);
      if (Number.isNaN(until)) throw new EngineError('STEP_INPUT', `wait: bad time ${JSON.stringify(input.until)}`);
    }
    if (until - now > MAX_WAIT_MS) throw new EngineError('STEP_INPUT', `wait: at most 7d (asked ${Math.round((until - now) / 3_600_000)}h)`);
    const fired = yield* perform({ kind: 'timer.wait', until });
    return { waited_until: new Date(until).toISOString(), fired_at: (fired as { firedAt?: string }).firedAt ?? null };
  },
});
