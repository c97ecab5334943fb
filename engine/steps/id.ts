import { Type, type Static } from '@sinclair/typebox';
import { defineExecutor, perform } from './executor.ts';

const IdInput = Type.Object(
  { prefix: Type.Optional(Type.String({ maxLength: 32, description: 'Put before the id, such as ALT-.' })) },
  { additionalProperties: false },
);

/**
 * A new unique id from the Ids port (random in production, a counter in tests), journaled like
 * any answer, so a resumed or replayed run sees the same id: {id}.
 */
export const idNewStep = defineExecutor<Static<typeof IdInput>>({
  name: 'id.new',
  summary: 'A new unique id from the Ids port: {id} (deterministic in tests).',
  effect: 'pure',
  input: IdInput,
  defaultTimeoutMs: 1000,
  run: function* (_ctx, input) {
    return { id: yield* perform({ kind: 'id.new', prefix: input.prefix ?? '' }) };
  },
});
