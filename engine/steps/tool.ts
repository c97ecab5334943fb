import { Type, type Static } from '@sinclair/typebox';
import { isShadowed } from '../effects/effect.ts';
import { defineExecutor, perform } from './executor.ts';

const ToolInput = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    read_only: Type.Optional(Type.Boolean({ description: 'A read-only tool still runs in shadow mode.' })),
  },
  { additionalProperties: false },
);

/** Calls a tool (an MCP server in production). Tools that change things are skipped in shadow mode. */
export const toolCallStep = defineExecutor<Static<typeof ToolInput>>({
  name: 'tool.call',
  summary: 'Calls a tool through the Tools port (MCP).',
  effect: 'write',
  input: ToolInput,
  defaultTimeoutMs: 20_000,
  run: function* (_ctx, input) {
    const result = yield* perform({ kind: 'tool.call', name: input.name, args: input.args ?? {}, readOnly: input.read_only ?? false });
    return isShadowed(result) ? { result: null, shadowed: true } : { result: result ?? null, shadowed: false };
  },
});
