import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { EngineError } from '../../../engine/errors.ts';
import type { McpServerConfig } from './config.ts';

/** Where the effect id goes in a tools/call request's `_meta`, so the server can drop a repeat. */
export const IDEMPOTENCY_META = 'io.heal-engine/idempotency-key';
/** The same for the plain JSON-RPC transport, as a header. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

interface CallRequest {
  name: string;
  args: Record<string, unknown>;
  key: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** What one server answered: a value, or the tool's own failure (isError) with its text. */
export type CallAnswer = { ok: true; value: unknown } | { ok: false; text: string };

/**
 * The request may not have reached the tool, or its answer was lost on the way: the connection
 * failed. Only these are retried, and only for idempotent tools.
 */
export class TransportFailure extends Error {
  /** connect: the connection could not be opened, so this request was never sent. */
  readonly phase: 'connect' | 'call';
  constructor(message: string, options: { cause?: unknown; phase?: 'connect' | 'call' } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportFailure';
    this.phase = options.phase ?? 'call';
  }
}

export interface Connection {
  readonly connected: boolean;
  call(request: CallRequest): Promise<CallAnswer>;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  /** fetch for the HTTP transports (tests inject one). */
  fetch?: FetchLike;
  clientName?: string;
}

export function openConnection(config: McpServerConfig, options: ConnectionOptions = {}): Connection {
  return config.transport === 'jsonrpc' ? new JsonRpcConnection(config, options) : new SdkConnection(config, options);
}

/** An MCP server through the official SDK's Client: Streamable HTTP or stdio, connected on first use and reused. */
class SdkConnection implements Connection {
  readonly #config: Extract<McpServerConfig, { transport: 'streamable-http' | 'stdio' }>;
  readonly #options: ConnectionOptions;
  #client: Client | null = null;
  #connecting: Promise<Client> | null = null;
  #stderrTail = '';

  constructor(config: Extract<McpServerConfig, { transport: 'streamable-http' | 'stdio' }>, options: ConnectionOptions) {
    this.#config = config;
    this.#options = options;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  async call(request: CallRequest): Promise<CallAnswer> {
    const client = await this.#get(request.timeoutMs);
    let result: CallToolResult;
    try {
      const params = { name: request.name, arguments: request.args, ...(request.key === undefined ? {} : { _meta: { [IDEMPOTENCY_META]: request.key } }) };
      const options = { timeout: request.timeoutMs, ...(request.signal ? { signal: request.signal } : {}) };
      result = (await client.callTool(params, undefined, options)) as CallToolResult;
    } catch (e) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (e instanceof McpError && e.code === ErrorCode.RequestTimeout) throw timeoutError(request);
      if (isTransportError(e)) {
        // Only a lost connection is dropped: one refused POST (a 503 from a proxy) leaves the
        // session, and the other calls in flight on it, alone.
        if (isConnectionLost(e)) await this.#drop(client);
        throw new TransportFailure(`${this.#where()}: ${errorText(e)}`, { cause: e });
      }
      throw protocolError(this.#config.name, e);
    }
    if (result.isError) return { ok: false, text: contentText(result) || 'the tool failed without saying why' };
    return { ok: true, value: resultValue(result) };
  }

  async close(): Promise<void> {
    const client = this.#client ?? (await this.#connecting?.catch(() => null)) ?? null;
    this.#client = null;
    if (client) await client.close().catch(() => {});
  }

  #where(): string {
    const c = this.#config;
    return c.transport === 'stdio' ? `MCP server ${c.name} (stdio ${c.command})` : `MCP server ${c.name} (${c.url})`;
  }

  async #get(timeoutMs: number): Promise<Client> {
    if (this.#client) return this.#client;
    this.#connecting ??= this.#connect(timeoutMs).finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #connect(timeoutMs: number): Promise<Client> {
    const client = new Client({ name: this.#options.clientName ?? 'heal-engine', version: '0.1.0' });
    client.onclose = () => {
      if (this.#client === client) this.#client = null;
    };
    try {
      await client.connect(this.#transport(), { timeout: timeoutMs });
    } catch (e) {
      await client.close().catch(() => {});
      const tail = this.#stderrTail.trim();
      throw new TransportFailure(`${this.#where()}: could not connect: ${errorText(e)}${tail ? ` (stderr: ${tail.slice(-300)})` : ''}`, { cause: e, phase: 'connect' });
    }
    this.#client = client;
    return client;
  }

  #transport(): Transport {
    const c = this.#config;
    if (c.transport === 'streamable-http') {
      return new StreamableHTTPClientTransport(new URL(c.url), {
        requestInit: { headers: { ...c.headers } },
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
        // Retries are this adapter's (idempotent tools only): the SDK does not reconnect on its own.
        reconnectionOptions: { maxReconnectionDelay: 1000, initialReconnectionDelay: 100, reconnectionDelayGrowFactor: 2, maxRetries: 0 },
      });
    }
    const transport = new StdioClientTransport({
      command: c.command,
      args: c.args,
      env: { ...getDefaultEnvironment(), ...c.env },
      ...(c.cwd === null ? {} : { cwd: c.cwd }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    return transport;
  }

  async #drop(client: Client): Promise<void> {
    if (this.#client === client) this.#client = null;
    await client.close().catch(() => {});
  }
}

/** Seed 004's MCP server as it is today (section 3.2): `POST {url}/mcp/call`, JSON-RPC 2.0, an API key header. */
class JsonRpcConnection implements Connection {
  readonly #config: Extract<McpServerConfig, { transport: 'jsonrpc' }>;
  readonly #fetch: FetchLike;
  #ok = false;
  #seq = 0;

  constructor(config: Extract<McpServerConfig, { transport: 'jsonrpc' }>, options: ConnectionOptions) {
    this.#config = config;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get connected(): boolean {
    return this.#ok;
  }

  async call(request: CallRequest): Promise<CallAnswer> {
    const c = this.#config;
    const endpoint = new URL('mcp/call', c.url.endsWith('/') ? c.url : `${c.url}/`);
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', [c.header]: c.apiKey };
    if (request.key !== undefined) headers[IDEMPOTENCY_HEADER] = request.key;
    const id = `heal-${++this.#seq}`;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id, method: request.name, params: { name: request.name, arguments: request.args } }), signal });
      text = await response.text();
    } catch (e) {
      this.#ok = false;
      if (request.signal?.aborted) throw request.signal.reason;
      if (timeout.aborted) throw timeoutError(request);
      throw new TransportFailure(`MCP server ${c.name} (${endpoint.href}): ${errorText(e)}`, { cause: e });
    }
    if (response.status === 401 || response.status === 403) {
      this.#ok = false;
      throw new EngineError('MCP_UNAUTHORIZED', `MCP server ${c.name} refused the API key (HTTP ${response.status}): check the variable named by api_key_env`, { details: { server: c.name, status: response.status } });
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      this.#ok = false;
      throw new TransportFailure(`MCP server ${c.name} (${endpoint.href}): HTTP ${response.status}`);
    }
    let body: { result?: unknown; error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new EngineError('MCP_PROTOCOL', `MCP server ${c.name}: HTTP ${response.status} with a body that is not JSON`, { details: { server: c.name, status: response.status } });
    }
    this.#ok = true;
    if (body.error !== undefined && body.error !== null) {
      const message = typeof body.error.message === 'string' ? body.error.message : JSON.stringify(body.error);
      return { ok: false, text: message };
    }
    if (!response.ok) throw new EngineError('MCP_PROTOCOL', `MCP server ${c.name}: HTTP ${response.status}`, { details: { server: c.name, status: response.status } });
    return { ok: true, value: body.result === undefined ? null : body.result };
  }

  async close(): Promise<void> {
    this.#ok = false;
  }
}

function timeoutError(request: CallRequest): EngineError {
  return new EngineError('TOOL_TIMEOUT', `tool ${request.name}: no answer within ${request.timeoutMs} ms`, { retryable: false, details: { tool: request.name, timeoutMs: request.timeoutMs } });
}

function protocolError(server: string, e: unknown): EngineError {
  const code = e instanceof McpError ? e.code : undefined;
  return new EngineError('MCP_PROTOCOL', `MCP server ${server}: ${errorText(e)}`, { details: { server, ...(code === undefined ? {} : { rpcCode: code }) } });
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** The session or the child is gone: the next call connects again. */
function isConnectionLost(e: unknown): boolean {
  if (e instanceof McpError) return e.code === ErrorCode.ConnectionClosed;
  if (e instanceof StreamableHTTPError) return e.code === 404;
  return e instanceof Error && e.message === 'Not connected';
}

/** A failure of the way to the server, not an answer of the server. */
function isTransportError(e: unknown): boolean {
  if (e instanceof McpError) return e.code === ErrorCode.ConnectionClosed;
  if (e instanceof StreamableHTTPError) {
    const status = e.code ?? 0;
    return status <= 0 || status >= 500 || status === 404 || status === 408 || status === 429;
  }
  if (e instanceof TypeError) return true; // fetch failed
  if (e instanceof Error) {
    if (e.message === 'Not connected') return true;
    const code = (e as { code?: unknown }).code ?? ((e as { cause?: { code?: unknown } }).cause?.code);
    return typeof code === 'string' && NETWORK_CODES.has(code);
  }
  return false;
}

function errorText(e: unknown): string {
  if (e instanceof StreamableHTTPError && e.code !== undefined && e.code > 0) return `HTTP ${e.code}: ${e.message}`;
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message && !e.message.includes(cause.message) ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

function contentText(result: CallToolResult): string {
  return (result.content ?? [])
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text' && typeof (c as { text?: unknown }).text === 'string')
    .map((c) => c.text)
    .join('\n');
}

/** structuredContent when given, else the JSON of the text content, else the text itself. */
function resultValue(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  const text = contentText(result);
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
