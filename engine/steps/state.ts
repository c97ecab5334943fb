import { Type, type Static } from '@sinclair/typebox';
import { parseDuration } from '../expr/index.ts';
import { EngineError } from '../errors.ts';
import type { JsonValue } from '../ports/state-store.ts';
import { isShadowed } from '../effects/effect.ts';
import { defineExecutor, perform } from './executor.ts';

const SetInput = Type.Object(
  {
    key: Type.String({ minLength: 1 }),
    value: Type.Optional(Type.Unknown()),
    ttl: Type.Optional(Type.String()),
    if_absent: Type.Optional(Type.Boolean({ description: 'Set only when the key is absent (a claim): output set is false when it was there. Needs ttl.' })),
  },
  { additionalProperties: false },
);

/**
 * Writes a state key (a health flag, a cache entry), optionally with a time to live. With
 * `if_absent: true` it is a claim (a ticket taken by this run): atomic, and `set` says whether
 * this run took it. A claim's value defaults to the run id, which is how a run resumed after a
 * crash recognises a claim it made itself.
 */
export const stateSetStep = defineExecutor<Static<typeof SetInput>>({
  name: 'state.set',
  summary: 'Sets a state key, with an optional ttl such as 60s; if_absent: true claims it: {key, set}.',
  effect: 'write',
  input: SetInput,
  defaultTimeoutMs: 5000,
  run: function* (ctx, input) {
    const ttlMs = input.ttl === undefined ? undefined : parseDuration(input.ttl);
    if (ttlMs === null) throw new EngineError('STEP_INPUT', `state.set: bad ttl ${JSON.stringify(input.ttl)}`);
    if (input.if_absent === true) {
      if (ttlMs === undefined) throw new EngineError('STEP_INPUT', 'state.set: if_absent needs a ttl (a claim that never expires would hold the key forever)');
      const claim = (input.value === undefined ? ctx.run.id : input.value) as JsonValue;
      const taken = yield* perform({ kind: 'state.set_if_absent', key: input.key, value: claim, ttlMs });
      // In shadow mode nothing is written: the run goes on as the first claimant would.
      return isShadowed(taken) ? { key: input.key, set: true, shadowed: true } : { key: input.key, set: taken === true };
    }
    const value = (input.value ?? null) as JsonValue;
    const answer = yield* perform({ kind: 'state.set', key: input.key, value, ...(ttlMs === undefined ? {} : { ttlMs }) });
    return isShadowed(answer) ? { key: input.key, shadowed: true } : { key: input.key };
  },
});

const GetInput = Type.Object({ key: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const stateGetStep = defineExecutor<Static<typeof GetInput>>({
  name: 'state.get',
  summary: 'Reads a state key: {value} (null when absent).',
  effect: 'read',
  input: GetInput,
  defaultTimeoutMs: 5000,
  run: function* (_ctx, input) {
    return { value: yield* perform({ kind: 'state.get', key: input.key }) };
  },
});

const DeleteInput = Type.Object({ key: Type.String({ minLength: 1 }) }, { additionalProperties: false });

/** Removes a state key (a flag raised earlier, such as a DOWN alert's once-only mark). */
export const stateDeleteStep = defineExecutor<Static<typeof DeleteInput>>({
  name: 'state.delete',
  summary: 'Deletes a state key: {key} (nothing happens when it is absent).',
  effect: 'write',
  input: DeleteInput,
  defaultTimeoutMs: 5000,
  run: function* (_ctx, input) {
    const answer = yield* perform({ kind: 'state.delete', key: input.key });
    return isShadowed(answer) ? { key: input.key, shadowed: true } : { key: input.key };
  },
});
