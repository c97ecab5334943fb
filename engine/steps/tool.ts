import { Type, type Static } from '@sinclair/typebox';
import { isShadowed } from '../effects/effect.ts';
import { EngineError } from '../errors.ts';
import { closest } from '../playbook/compile-context.ts';
import { argsHash } from '../tools/args-hash.ts';
import { lookupTool, toolNames, type ToolDefinition } from '../tools/model.ts';
import { defineExecutor, perform, type StepContext } from './executor.ts';

const ToolInput = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'A tool of tools/catalog.yaml.' }),
    args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    read_only: Type.Optional(
      Type.Boolean({ description: 'Deprecated: the tool catalog says whether a tool is read-only; given, it must say the same (TOOL_READ_ONLY).' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Calls a catalogued tool (an MCP server in production). The name and the rendered arguments
 * are checked against tools/catalog.yaml (TOOL_REFUSED otherwise); whether the call changes
 * things is the catalog's (write tools are skipped in shadow mode); an L3 tool runs only with
 * an approval granted in this run for the same tool and the same arguments (APPROVAL_REQUIRED).
 */
export const toolCallStep = defineExecutor<Static<typeof ToolInput>>({
  name: 'tool.call',
  summary: 'Calls a catalogued tool through the Tools port (MCP).',
  effect: 'write',
  input: ToolInput,
  defaultTimeoutMs: 20_000,
  run: function* (ctx, input) {
    const args = input.args ?? {};
    const def = checked(ctx, input.name, args, input.read_only);
    const secretArgs = def.secretArgs.filter((f) => Object.prototype.hasOwnProperty.call(args, f));
    const result = yield* perform({
      kind: 'tool.call',
      name: def.name,
      args,
      readOnly: def.readOnly,
      ...(secretArgs.length > 0 ? { secretArgs } : {}),
      ...(def.secretResult.length > 0 ? { secretResult: [...def.secretResult] } : {}),
    });
    return isShadowed(result) ? { result: null, shadowed: true } : { result: result ?? null, shadowed: false };
  },
});

function checked(ctx: StepContext, name: string, args: Record<string, unknown>, readOnly: boolean | undefined): ToolDefinition {
  const def = lookupTool(ctx.tools, name);
  if (def === undefined) {
    const near = closest(name, toolNames(ctx.tools));
    throw new EngineError('TOOL_REFUSED', `unknown tool ${JSON.stringify(name)}: it is not in the tool catalog${near === null ? '' : ` (did you mean ${near}?)`}`, {
      details: { code: 'TOOL_UNKNOWN', tool: name },
    });
  }
  const problem = def.checkArgs(args);
  if (problem !== null) {
    throw new EngineError('TOOL_REFUSED', `invalid args for tool ${name}: ${problem}`, { details: { code: 'TOOL_INVALID_ARGS', tool: name } });
  }
  if (readOnly !== undefined && readOnly !== def.readOnly) {
    throw new EngineError('TOOL_REFUSED', `tool ${name} is ${def.readOnly ? 'read-only' : `a ${def.level} tool that changes things`} in the catalog; the step says read_only: ${readOnly}`, {
      details: { code: 'TOOL_READ_ONLY', tool: name },
    });
  }
  // In shadow mode a write tool never reaches its server: the run goes on as an approved one would.
  if (def.level === 'L3' && !ctx.run.shadow) {
    const hash = argsHash(args);
    if (!ctx.run.approvals.some((a) => a.tool === name && a.argsHash === hash)) {
      throw new EngineError('APPROVAL_REQUIRED', `tool ${name} is L3 and this run holds no approval granted for it with these arguments (${hash})`, {
        details: { code: 'APPROVAL_REQUIRED', tool: name, argsHash: hash },
      });
    }
  }
  return def;
}
