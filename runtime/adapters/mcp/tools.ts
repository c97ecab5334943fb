import { EngineError, isEngineError } from '../../../engine/errors.ts';
import type { StateStore } from '../../../engine/ports/state-store.ts';
import type { ToolCallOptions, Tools } from '../../../engine/ports/tools.ts';
import { lookupTool, type ToolCatalog, type ToolDefinition } from '../../../engine/tools/model.ts';
import type { McpConfig, McpServerConfig } from './config.ts';
import { openConnection, TransportFailure, type CallAnswer, type Connection, type FetchLike } from './connection.ts';

export interface McpToolsOptions {
  config: McpConfig;
  /**
   * The loaded tools/catalog.yaml: each tool's server, idempotence, timeout and secret fields; a
   * function reads the catalog in force at each call (a server reloads it with the playbooks).
   */
  catalog: ToolCatalog | (() => ToolCatalog);
  /** For the circuits (the health check's glpi_health_status). */
  state: StateStore;
  /** Waits between retries; rejects when the signal aborts. Tests inject an instant one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries after a transport failure, idempotent tools only (default 2: three attempts in all). */
  retries?: number;
  /** The first wait; doubled each retry, capped at 8 s (default 250 ms). */
  backoffMs?: number;
  /** fetch for the HTTP transports (tests inject one). */
  fetch?: FetchLike;
  /** Epoch ms, for the times health() reports (default Date.now). */
  now?: () => number;
  /** Opens a connection (tests may wrap it). */
  connect?: (config: McpServerConfig) => Connection;
}

export interface McpServerHealth {
  server: string;
  transport: McpServerConfig['transport'];
  connected: boolean;
  /** The last failure reaching it, null once a call went through. */
  lastError: string | null;
  lastErrorAt: string | null;
}

const MAX_BACKOFF_MS = 8000;
const MAX_RETRIES = 5;

/**
 * The Tools port over MCP servers. A call goes to the server the catalog names for the tool,
 * through a connection opened on first use and kept. A transport failure is retried with an
 * exponential backoff only when the catalog says the tool is idempotent (a repeated create could
 * open two tickets); a tool's own failure (`isError`) is TOOL_FAILED with its text, never retried.
 * A server's circuit (the GLPI health key) refuses its tools without calling while it is open.
 * No error message carries the value of a secret argument.
 */
export class McpTools implements Tools {
  readonly #config: McpConfig;
  readonly #catalog: () => ToolCatalog;
  readonly #state: StateStore;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #connect: (config: McpServerConfig) => Connection;
  readonly #now: () => number;
  readonly #connections = new Map<string, Connection>();
  readonly #errors = new Map<string, { message: string; at: string }>();
  #closed = false;

  constructor(options: McpToolsOptions) {
    this.#config = options.config;
    const catalog = options.catalog;
    this.#catalog = typeof catalog === 'function' ? catalog : () => catalog;
    this.#state = options.state;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#retries = Math.max(0, Math.min(MAX_RETRIES, Math.floor(options.retries ?? 2)));
    this.#backoffMs = Math.max(0, options.backoffMs ?? 250);
    this.#now = options.now ?? Date.now;
    const fetch = options.fetch;
    this.#connect = options.connect ?? ((config) => openConnection(config, fetch ? { fetch } : {}));
  }

  async call(name: string, args: Record<string, unknown>, options: ToolCallOptions = {}): Promise<unknown> {
    const { signal, key } = options;
    if (signal?.aborted) throw signal.reason;
    const tool = lookupTool(this.#catalog(), name);
    if (!tool) throw notStarted('TOOL_UNKNOWN', `tool ${JSON.stringify(name)} is not in the tool catalog`, { tool: name });
    const server = Object.prototype.hasOwnProperty.call(this.#config.servers, tool.server) ? this.#config.servers[tool.server] : undefined;
    if (!server) {
      throw notStarted('MCP_SERVER_NOT_CONFIGURED', `tool ${name} is served by ${tool.server}, which mcp.servers does not configure (have: ${Object.keys(this.#config.servers).join(', ') || 'none'})`, { tool: name, server: tool.server });
    }
    if (this.#closed) throw notStarted('MCP_CLOSED', `tool ${name}: the MCP adapter is closed`, { tool: name });
    await this.#checkCircuit(server, tool);

    const secrets = secretValues(tool, args);
    const request = { name, args, key, timeoutMs: Math.max(1, Math.round(tool.timeoutSeconds * 1000)), signal };
    const attempts = tool.idempotent ? this.#retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let answer: CallAnswer;
      try {
        answer = await this.#connection(server).call(request);
      } catch (e) {
        if (e instanceof TransportFailure) {
          this.#noteError(server.name, scrub(e.message, secrets));
          if (attempt < attempts) {
            await this.#sleep(Math.min(MAX_BACKOFF_MS, this.#backoffMs * 2 ** (attempt - 1)), signal);
            continue;
          }
          throw new EngineError(
            'MCP_UNAVAILABLE',
            `tool ${name}: ${scrub(e.message, secrets)}${attempts > 1 ? ` (after ${attempts} attempts)` : tool.idempotent ? '' : ' (not retried: the tool is not idempotent, the call may have run)'}`,
            // Not retryable by the engine either: a non-idempotent call may have reached the tool.
            { retryable: false, details: { tool: name, server: server.name, attempts, started: e.phase === 'connect' ? false : 'unknown' } },
          );
        }
        if (isEngineError(e)) throw scrubError(e, secrets);
        throw e;
      }
      this.#errors.delete(server.name);
      if (!answer.ok) {
        throw new EngineError('TOOL_FAILED', `tool ${name} failed: ${scrub(answer.text, secrets)}`, { retryable: false, details: { tool: name, server: server.name, started: true } });
      }
      return answer.value;
    }
  }

  /** One line for the start-up log. */
  describe(): string {
    const servers = Object.values(this.#config.servers).map((s) => {
      const where = s.transport === 'stdio' ? `stdio ${s.command}` : `${s.transport} ${s.url}`;
      return `${s.name} (${where}${s.circuit ? `, circuit on ${s.circuit.key}` : ''})`;
    });
    const served = Object.values(this.#catalog()).filter((t) => Object.prototype.hasOwnProperty.call(this.#config.servers, t.server)).length;
    return `MCP tools: ${served}/${Object.keys(this.#catalog()).length} catalog tools over ${servers.join(', ')}`;
  }

  /** Per server, for /readyz: connected or not, and the last failure. */
  health(): McpServerHealth[] {
    return Object.values(this.#config.servers).map((s) => {
      const error = this.#errors.get(s.name);
      return { server: s.name, transport: s.transport, connected: this.#connections.get(s.name)?.connected ?? false, lastError: error?.message ?? null, lastErrorAt: error?.at ?? null };
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((c) => c.close().catch(() => {})));
  }

  #connection(server: McpServerConfig): Connection {
    let c = this.#connections.get(server.name);
    if (!c) {
      c = this.#connect(server);
      this.#connections.set(server.name, c);
    }
    return c;
  }

  async #checkCircuit(server: McpServerConfig, tool: ToolDefinition): Promise<void> {
    const circuit = server.circuit;
    if (!circuit || !circuit.tools.some((prefix) => tool.name.startsWith(prefix))) return;
    const value = await this.#state.get(circuit.key);
    const text = typeof value === 'string' ? value : value === null ? null : JSON.stringify(value);
    if (text !== null && circuit.openWhen.includes(text)) {
      throw notStarted('GLPI_CIRCUIT_OPEN', `tool ${tool.name} refused without calling: ${circuit.key} is ${text}`, { tool: tool.name, server: server.name, key: circuit.key, value });
    }
  }

  #noteError(server: string, message: string): void {
    this.#errors.set(server, { message, at: new Date(this.#now()).toISOString() });
  }
}

function notStarted(code: string, message: string, details: Record<string, unknown>): EngineError {
  return new EngineError(code, message, { retryable: false, details: { ...details, started: false } });
}

/** The values of the tool's secret arguments, longest first (so a value inside another is masked whole). */
function secretValues(tool: ToolDefinition, args: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const field of tool.secretArgs) {
    const v = args[field];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (text.length > 0) values.push(text);
    // A JSON-escaped copy too: a server may echo the arguments as JSON.
    const escaped = JSON.stringify(text).slice(1, -1);
    if (escaped !== text) values.push(escaped);
  }
  return values.sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out;
}

function scrubError(e: EngineError, secrets: readonly string[]): EngineError {
  if (secrets.length === 0) return e;
  const message = scrub(e.message, secrets);
  if (message === e.message) return e;
  return new EngineError(e.code, message, { retryable: e.retryable, details: e.details });
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
