/**
 * TEST DOUBLE: `npm run simulator` starts a simulator of the systems seed 004's MCP server talks
 * to (GLPI, Observium, Active Directory, MySecret, the RAG, notifications), over in-memory data.
 *
 *   npm run simulator -- [--port 3001] [--host 127.0.0.1] [--catalog tools/catalog.yaml] [--glpi-down]
 *   npm run simulator -- --stdio        (MCP over stdin/stdout; logs go to stderr)
 *
 * SIMULATOR_API_KEY is the X-API-Key of the plain JSON-RPC endpoint (POST /mcp/call; without it
 * that endpoint refuses every call); SIMULATOR_APP_TOKEN the App-Token initSession wants (any when unset).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import type { ToolCatalog } from '../../engine/tools/model.ts';
import { startSimulatorHttp } from './http.ts';
import { createSimulatorMcpServer } from './mcp-server.ts';
import { SimulatorWorld } from './world.ts';

// bin/run-ts.js runs this file as argv[2]: the flags come after it.
const { values } = parseArgs({
  args: process.argv.slice(process.argv.findIndex((a) => a.endsWith('main.ts')) + 1),
  options: {
    port: { type: 'string', default: '3001' },
    host: { type: 'string', default: '127.0.0.1' },
    stdio: { type: 'boolean', default: false },
    catalog: { type: 'string', default: 'tools/catalog.yaml' },
    'glpi-down': { type: 'boolean', default: false },
  },
});

function loadCatalog(file: string): ToolCatalog {
  const path = resolve(file);
  const loaded = loadToolCatalog({ file, content: readFileSync(path) });
  if (!loaded.catalog) {
    for (const d of loaded.diagnostics) process.stderr.write(`${d.code}: ${d.message}\n`);
    process.exit(2);
  }
  return loaded.catalog;
}

const catalog = loadCatalog(values.catalog);
const world = new SimulatorWorld();
world.glpiDown = values['glpi-down'];

if (values.stdio) {
  const server = createSimulatorMcpServer(world, catalog);
  await server.connect(new StdioServerTransport());
  process.stderr.write(`widip-mcp simulator (TEST DOUBLE) listening on stdio, ${world.toolNames().length} tools\n`);
} else {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port ${values.port}: not a port number\n`);
    process.exit(2);
  }
  const apiKey = process.env.SIMULATOR_API_KEY || undefined;
  const appToken = process.env.SIMULATOR_APP_TOKEN || undefined;
  const http = await startSimulatorHttp({ world, catalog, port, host: values.host, ...(apiKey ? { apiKey } : {}), ...(appToken ? { appToken } : {}) });
  process.stdout.write(
    [
      `widip-mcp simulator (TEST DOUBLE) listening on ${http.url}`,
      `  MCP Streamable HTTP   ${http.mcpUrl}`,
      `  JSON-RPC (seed 3.2)   POST ${http.url}/mcp/call  X-API-Key ${apiKey ? 'from SIMULATOR_API_KEY' : 'not set: every call refused'}`,
      `  GLPI initSession      POST ${http.url}/apirest.php/initSession${world.glpiDown ? '  (failing: --glpi-down)' : ''}`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void http.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
