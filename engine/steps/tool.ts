import { Type, type Static } from '@sinclair/typebox';
import { defineExecutor } from './executor.ts';

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
  run: async (ctx, input) => {
    if (ctx.run.shadow && !input.read_only) return { result: null, shadowed: true };
    const result = await ctx.ports.tools.call(input.name, input.args ?? {}, ctx.signal);
    return { result, shadowed: false };
  },
});
