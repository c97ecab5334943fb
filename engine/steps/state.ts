import { Type, type Static } from '@sinclair/typebox';
import { parseDuration } from '../expr/index.ts';
import { EngineError } from '../errors.ts';
import type { JsonValue } from '../ports/state-store.ts';
import { defineExecutor } from './executor.ts';

const SetInput = Type.Object(
  { key: Type.String({ minLength: 1 }), value: Type.Unknown(), ttl: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** Writes a state key (a health flag, a cache entry), optionally with a time to live. */
export const stateSetStep = defineExecutor<Static<typeof SetInput>>({
  name: 'state.set',
  summary: 'Sets a state key, with an optional ttl such as 60s.',
  effect: 'pure',
  input: SetInput,
  defaultTimeoutMs: 5000,
  run: async (ctx, input) => {
    const ttlMs = input.ttl === undefined ? undefined : parseDuration(input.ttl);
    if (ttlMs === null) throw new EngineError('STEP_INPUT', `state.set: bad ttl ${JSON.stringify(input.ttl)}`);
    await ctx.ports.state.set(input.key, (input.value ?? null) as JsonValue, ttlMs);
    return { key: input.key };
  },
});

const GetInput = Type.Object({ key: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const stateGetStep = defineExecutor<Static<typeof GetInput>>({
  name: 'state.get',
  summary: 'Reads a state key: {value} (null when absent).',
  effect: 'read',
  input: GetInput,
  defaultTimeoutMs: 5000,
  run: async (ctx, input) => ({ value: await ctx.ports.state.get(input.key) }),
});
