/**
 * The `mcp:` section of engine.config.yaml: which MCP servers serve the tool catalog's tools and
 * how to reach them. Every secret (a header value, an API key, a child's variable) is read from
 * the environment, never written in the file: the file names the variable.
 *
 *   mcp:
 *     servers:
 *       widip-mcp:                       # the catalog's `server:` of the tools it serves
 *         transport: streamable-http     # or stdio, or jsonrpc (seed 004 section 3.2)
 *         url: http://mcp.internal:3001/mcp
 *         headers_env: { X-API-Key: WIDIP_MCP_API_KEY }
 *         circuit: { key: glpi_health_status, open_when: down, tools: "glpi_" }
 */

interface McpCircuit {
  /** The StateStore key the health check writes (glpi_health_status). */
  key: string;
  /** The values of the key that open the circuit. */
  openWhen: string[];
  /** Tool-name prefixes the circuit guards. */
  tools: string[];
}

interface Common {
  name: string;
  circuit: McpCircuit | null;
}

export type McpServerConfig =
  | (Common & { transport: 'streamable-http'; url: string; headers: Record<string, string> })
  | (Common & { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string | null })
  | (Common & { transport: 'jsonrpc'; url: string; apiKey: string; header: string });

export interface McpConfig {
  servers: Record<string, McpServerConfig>;
}

export type McpConfigRead = { ok: true; value: McpConfig } | { ok: false; errors: string[] };

type Env = Readonly<Record<string, string | undefined>>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Reads and checks the section; each error names its path (`mcp.servers.widip-mcp.url: ...`). */
export function readMcpConfig(raw: unknown, env: Env): McpConfigRead {
  const errors: string[] = [];
  const at = 'mcp';
  if (!isObject(raw)) return { ok: false, errors: [`${at}: must be a mapping with servers`] };
  unknownKeys(raw, ['servers'], at, errors);
  const servers: Record<string, McpServerConfig> = Object.create(null);
  if (!isObject(raw.servers) || Object.keys(raw.servers).length === 0) {
    errors.push(`${at}.servers: must be a mapping of at least one server name to its settings`);
    return { ok: false, errors };
  }
  for (const [name, spec] of Object.entries(raw.servers)) {
    const path = `${at}.servers.${name}`;
    if (!SERVER_NAME.test(name)) errors.push(`${path}: a server name is letters, digits, '-', '_' and '.'`);
    const server = readServer(name, spec, path, env, errors);
    if (server) servers[name] = server;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { servers } };
}

function readServer(name: string, spec: unknown, path: string, env: Env, errors: string[]): McpServerConfig | null {
  if (!isObject(spec)) {
    errors.push(`${path}: must be a mapping with a transport`);
    return null;
  }
  const before = errors.length;
  const circuit = spec.circuit === undefined ? null : readCircuit(spec.circuit, `${path}.circuit`, errors);
  switch (spec.transport) {
    case 'streamable-http': {
      unknownKeys(spec, ['transport', 'url', 'headers_env', 'circuit'], path, errors);
      const url = httpUrl(spec.url, `${path}.url`, errors);
      const headers: Record<string, string> = {};
      if (spec.headers_env !== undefined) {
        if (!isObject(spec.headers_env)) errors.push(`${path}.headers_env: must map header names to environment variable names`);
        else
          for (const [header, variable] of Object.entries(spec.headers_env)) {
            const p = `${path}.headers_env.${header}`;
            if (!HEADER_NAME.test(header)) errors.push(`${p}: not an HTTP header name`);
            const value = fromEnv(variable, p, env, errors);
            if (value !== null) headers[header] = value;
          }
      }
      return errors.length > before ? null : { name, transport: 'streamable-http', url: url!, headers, circuit };
    }
    case 'stdio': {
      unknownKeys(spec, ['transport', 'command', 'args', 'env', 'cwd', 'circuit'], path, errors);
      if (typeof spec.command !== 'string' || spec.command.trim() === '') errors.push(`${path}.command: must be the program to start`);
      let args: string[] = [];
      if (spec.args !== undefined) {
        if (!Array.isArray(spec.args) || !spec.args.every((a) => typeof a === 'string')) errors.push(`${path}.args: must be a list of strings`);
        else args = [...spec.args];
      }
      const childEnv: Record<string, string> = {};
      if (spec.env !== undefined) {
        if (!isObject(spec.env)) errors.push(`${path}.env: must map the child's variable names to environment variable names of the engine`);
        else
          for (const [variable, source] of Object.entries(spec.env)) {
            const p = `${path}.env.${variable}`;
            if (!ENV_NAME.test(variable)) errors.push(`${p}: not an environment variable name`);
            const value = fromEnv(source, p, env, errors);
            if (value !== null) childEnv[variable] = value;
          }
      }
      if (spec.cwd !== undefined && typeof spec.cwd !== 'string') errors.push(`${path}.cwd: must be a directory`);
      return errors.length > before ? null : { name, transport: 'stdio', command: spec.command as string, args, env: childEnv, cwd: typeof spec.cwd === 'string' ? spec.cwd : null, circuit };
    }
    case 'jsonrpc': {
      unknownKeys(spec, ['transport', 'url', 'api_key_env', 'header', 'circuit'], path, errors);
      const url = httpUrl(spec.url, `${path}.url`, errors);
      const apiKey = fromEnv(spec.api_key_env, `${path}.api_key_env`, env, errors);
      let header = 'X-API-Key';
      if (spec.header !== undefined) {
        if (typeof spec.header !== 'string' || !HEADER_NAME.test(spec.header)) errors.push(`${path}.header: not an HTTP header name`);
        else header = spec.header;
      }
      return errors.length > before ? null : { name, transport: 'jsonrpc', url: url!, apiKey: apiKey!, header, circuit };
    }
    default:
      errors.push(`${path}.transport: must be streamable-http, stdio or jsonrpc${spec.transport === undefined ? '' : ` (got ${JSON.stringify(spec.transport)})`}`);
      return null;
  }
}

function readCircuit(raw: unknown, path: string, errors: string[]): McpCircuit | null {
  if (!isObject(raw)) {
    errors.push(`${path}: must be a mapping with key, open_when and tools`);
    return null;
  }
  unknownKeys(raw, ['key', 'open_when', 'tools'], path, errors);
  const before = errors.length;
  if (typeof raw.key !== 'string' || raw.key === '') errors.push(`${path}.key: must be the state key to read (glpi_health_status)`);
  const list = (v: unknown, p: string, what: string): string[] => {
    const items = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(items) || items.length === 0 || !items.every((x) => typeof x === 'string' && x !== '')) {
      errors.push(`${p}: must be ${what}, or a list of them`);
      return [];
    }
    return items as string[];
  };
  const openWhen = list(raw.open_when ?? 'down', `${path}.open_when`, 'a value of the key');
  const tools = list(raw.tools, `${path}.tools`, 'a tool-name prefix');
  return errors.length > before ? null : { key: raw.key as string, openWhen, tools };
}

function fromEnv(variable: unknown, path: string, env: Env, errors: string[]): string | null {
  if (typeof variable !== 'string' || !ENV_NAME.test(variable)) {
    errors.push(`${path}: must name an environment variable (secrets are never written in the file)`);
    return null;
  }
  const value = env[variable];
  if (value === undefined || value === '') {
    errors.push(`${path}: the environment variable ${variable} is not set`);
    return null;
  }
  return value;
}

function httpUrl(raw: unknown, path: string, errors: string[]): string | null {
  if (typeof raw !== 'string') {
    errors.push(`${path}: must be an http(s) URL`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.push(`${path}: not a URL`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') errors.push(`${path}: must be http or https (got ${url.protocol})`);
  else if (url.username !== '' || url.password !== '') errors.push(`${path}: no credentials in the URL; use headers_env or api_key_env`);
  else return url.href;
  return null;
}

function unknownKeys(obj: Record<string, unknown>, known: string[], path: string, errors: string[]): void {
  for (const key of Object.keys(obj)) if (!known.includes(key)) errors.push(`${path}.${key}: unknown setting (known: ${known.join(', ')})`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
