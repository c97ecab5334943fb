import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { lookupTool, type ToolCatalog } from '../../engine/tools/model.ts';
import { IDEMPOTENCY_HEADER } from '../adapters/mcp/connection.ts';
import { createSimulatorMcpServer } from './mcp-server.ts';
import { SimulatorToolError, type SimulatorWorld } from './world.ts';

export interface SimulatorHttpOptions {
  world: SimulatorWorld;
  catalog: ToolCatalog;
  /** 0 for an ephemeral port. */
  port?: number;
  host?: string;
  /** The X-API-Key the plain JSON-RPC endpoint (`POST /mcp/call`, seed 004 section 3.2) requires. */
  apiKey?: string;
  /** The App-Token GLPI's `POST /apirest.php/initSession` requires; any token when unset. */
  appToken?: string;
}

export interface SimulatorHttp {
  /** The base URL, `http://host:port`. */
  url: string;
  port: number;
  /** Streamable HTTP MCP endpoint. */
  mcpUrl: string;
  /** Test control: the next `n` tools/call requests on /mcp (Streamable HTTP) or /mcp/call get an HTTP 503, as a proxy in between would. */
  failNextToolCalls(n: number): void;
  /** Requests refused by failNextToolCalls so far. */
  readonly refused: number;
  close(): Promise<void>;
}

/** Seed 004's JSON-RPC errors: the tool failed, unknown tool, bad arguments. */
const RPC_TOOL_FAILED = -32000;
const RPC_UNKNOWN = -32601;
const RPC_INVALID = -32602;

/**
 * TEST DOUBLE. The simulator's HTTP side, one port for three protocols:
 *   /mcp                          MCP over Streamable HTTP (stateless: one SDK server per request)
 *   POST /mcp/call                seed 004's plain JSON-RPC call, `X-API-Key` header
 *   POST /apirest.php/initSession GLPI's session probe (App-Token header), failing while world.glpiDown
 */
export async function startSimulatorHttp(options: SimulatorHttpOptions): Promise<SimulatorHttp> {
  const { world, catalog } = options;
  let failing = 0;
  let refused = 0;
  const refuseToolCall = (res: ServerResponse): boolean => {
    if (failing <= 0) return false;
    failing--;
    refused++;
    sendJson(res, 503, { error: 'simulated outage: service unavailable' });
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path === '/apirest.php/initSession') return initSession(req, res);
    if (path === '/mcp/call') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
      return jsonRpc(req, res);
    }
    if (path === '/mcp') {
      let body: unknown;
      if (req.method === 'POST') {
        body = await readJson(req);
        if (body === undefined) return sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
        if (isToolCall(body) && refuseToolCall(res)) return;
      }
      const server = createSimulatorMcpServer(world, catalog);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    sendJson(res, 404, { error: `no route ${req.method} ${path}` });
  };

  const initSession = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    if (req.method !== 'POST' && req.method !== 'GET') return sendJson(res, 405, ['ERROR_METHOD_NOT_ALLOWED', 'use POST']);
    const token = header(req, 'app-token');
    if (options.appToken !== undefined && (token === null || !same(token, options.appToken))) {
      return sendJson(res, 400, ['ERROR_WRONG_APP_TOKEN_PARAMETER', 'missing or wrong App-Token']);
    }
    if (world.glpiDown) return sendJson(res, 503, ['ERROR_GLPI_UNAVAILABLE', 'GLPI is down (simulated)']);
    sendJson(res, 200, { session_token: `sim-${Date.now().toString(36)}` });
  };

  const jsonRpc = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const key = header(req, 'x-api-key');
    if (options.apiKey === undefined || key === null || !same(key, options.apiKey)) {
      req.resume();
      return sendJson(res, 401, { error: 'missing or wrong X-API-Key' });
    }
    const body = (await readJson(req)) as { id?: unknown; method?: unknown; params?: { name?: unknown; arguments?: unknown } } | undefined;
    const id = body?.id ?? null;
    const reply = (payload: Record<string, unknown>): void => sendJson(res, 200, { jsonrpc: '2.0', id, ...payload });
    if (body === undefined || typeof body !== 'object') return sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
    if (refuseToolCall(res)) return;
    const name = typeof body.params?.name === 'string' ? body.params.name : typeof body.method === 'string' ? body.method : '';
    const args = (body.params?.arguments ?? {}) as Record<string, unknown>;
    const def = world.toolNames().includes(name) ? lookupTool(catalog, name) : undefined;
    if (!def) return reply({ error: { code: RPC_UNKNOWN, message: `unknown tool ${name}` } });
    const problems = def.checkArgs(args);
    if (problems !== null) return reply({ error: { code: RPC_INVALID, message: `invalid arguments for ${name}: ${problems}` } });
    try {
      reply({ result: await world.call(name, args, header(req, IDEMPOTENCY_HEADER.toLowerCase())) });
    } catch (e) {
      if (!(e instanceof SimulatorToolError)) throw e;
      reply({ error: { code: RPC_TOOL_FAILED, message: e.message } });
    }
  };

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    mcpUrl: `${url}/mcp`,
    failNextToolCalls(n: number) {
      failing = n;
    },
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        world.releaseAll();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

function isToolCall(body: unknown): boolean {
  const one = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call';
  return Array.isArray(body) ? body.some(one) : one(body);
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const MAX_BODY = 4 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
