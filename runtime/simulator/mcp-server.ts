import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { lookupTool, toolNames, type ToolCatalog } from '../../engine/tools/model.ts';
import { IDEMPOTENCY_META } from '../adapters/mcp/connection.ts';
import { SimulatorToolError, type SimulatorWorld } from './world.ts';


/**
 * TEST DOUBLE. One MCP server (the SDK's low-level `Server`) over a simulator world: the tools
 * are the catalog's (their input schemas are the catalog's `args`, so the two cannot drift) that
 * the world answers. Arguments the schema refuses and the tools' own failures are `isError`
 * results, as a real MCP server answers them.
 */
export function createSimulatorMcpServer(world: SimulatorWorld, catalog: ToolCatalog): Server {
  const served = toolNames(catalog).filter((name) => world.toolNames().includes(name));
  const server = new Server({ name: 'widip-mcp-simulator', version: '0.1.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: served.map((name) => {
      const def = lookupTool(catalog, name)!;
      return { name, description: def.description, inputSchema: def.argsSchema as { type: 'object'; [k: string]: unknown } };
    }),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const def = served.includes(name) ? lookupTool(catalog, name) : undefined;
    if (!def) return toolError(`unknown tool ${name}`);
    const problems = def.checkArgs(args);
    if (problems !== null) return toolError(`invalid arguments for ${name}: ${problems}`);
    const meta = request.params._meta as Record<string, unknown> | undefined;
    const key = typeof meta?.[IDEMPOTENCY_META] === 'string' ? (meta[IDEMPOTENCY_META] as string) : null;
    try {
      return toolResult(await world.call(name, args, key));
    } catch (e) {
      if (e instanceof SimulatorToolError) return toolError(e.message);
      throw e;
    }
  });
  return server;
}

/** Objects go in structuredContent too; lists and scalars only as JSON text (structuredContent is an object). */
function toolResult(value: unknown): CallToolResult {
  const text = JSON.stringify(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown> };
  }
  return { content: [{ type: 'text', text }] };
}

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
