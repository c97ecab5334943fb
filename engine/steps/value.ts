import { Type } from '@sinclair/typebox';
import { defineExecutor } from './executor.ts';

/** Computes values from expressions; its output is its input. Pure. */
export const valueStep = defineExecutor<Record<string, unknown>>({
  name: 'value',
  summary: 'Computes named values from expressions; the output is the `with:` block as rendered.',
  effect: 'pure',
  input: Type.Record(Type.String(), Type.Unknown()),
  defaultTimeoutMs: 1000,
  run: function* (_ctx, input) {
    return input;
  },
});
