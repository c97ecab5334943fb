import { Type, type Static } from '@sinclair/typebox';
import { isShadowed } from '../effects/effect.ts';
import { defineExecutor, perform } from './executor.ts';

const SearchInput = Type.Object(
  { text: Type.String(), top: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
  { additionalProperties: false },
);

/** Similar past incidents from vector memory; `best` is the closest one or null (N0 fast track). */
export const memorySearchStep = defineExecutor<Static<typeof SearchInput>>({
  name: 'memory.search',
  summary: 'Searches vector memory for similar past incidents: {hits, best}.',
  effect: 'read',
  input: SearchInput,
  defaultTimeoutMs: 10_000,
  run: function* (_ctx, input) {
    const hits = yield* perform({ kind: 'memory.search', text: input.text, top: input.top ?? 3 });
    const sorted = [...hits].sort((a, b) => b.score - a.score);
    return { hits: sorted, best: sorted[0] ?? null };
  },
});

const RememberInput = Type.Object(
  {
    text: Type.String(),
    intent: Type.String(),
    target: Type.Union([Type.String(), Type.Null()]),
    success: Type.Boolean(),
    risk: Type.String(),
    summary: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Stores what was done and whether it worked, for the next fast track. Suppressed in shadow mode. */
export const memoryRememberStep = defineExecutor<Static<typeof RememberInput>>({
  name: 'memory.remember',
  summary: 'Stores the incident and its resolution in vector memory.',
  effect: 'write',
  input: RememberInput,
  defaultTimeoutMs: 10_000,
  run: function* (_ctx, input) {
    const incident = { text: input.text, intent: input.intent, target: input.target, success: input.success, risk: input.risk };
    const answer = yield* perform({ kind: 'memory.remember', incident: input.summary === undefined ? incident : { ...incident, summary: input.summary } });
    return isShadowed(answer) ? { stored: false, shadowed: true } : { stored: true, shadowed: false };
  },
});
