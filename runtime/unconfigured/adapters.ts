import { EngineError } from '../../engine/errors.ts';
import type { Llm, LlmAnswer, LlmRequest } from '../../engine/ports/llm.ts';
import type { MemoryHit, VectorMemory } from '../../engine/ports/memory.ts';
import type { Shell, ShellRequest, ShellResult } from '../../engine/ports/shell.ts';
import type { Tools } from '../../engine/ports/tools.ts';
import type { HttpAnswer, HttpProbe, HttpRequest } from '../../engine/ports/http.ts';

/**
 * Adapters for the parts of the world that are not connected: the LLM and the vector memory (they
 * come in a later release), and SSH, MCP tools and HTTP probes while engine.config.yaml has no
 * `hosts:`, `mcp:` or `probes:` section (docs/ssh.md, docs/mcp.md, docs/probes.md). Each call fails with a clear, non-retryable error that says the request
 * never left the engine (`started: false`), so a run takes its playbook's `on_error:` route
 * (usually escalation to a person) and its trace says what is missing, instead of pretending
 * something ran.
 */
function notConfigured(what: string): never {
  throw new EngineError('ADAPTER_NOT_CONFIGURED', `${what}: this server has no adapter for it, so nothing was sent`, {
    retryable: false,
    details: { started: false },
  });
}

/** What `engine serve` reports at start for each adapter of the world. */
export const UNCONFIGURED_ADAPTERS = {
  llm: 'no LLM adapter in this release: llm.* steps fail with ADAPTER_NOT_CONFIGURED',
  shell: 'no hosts: in engine.config.yaml (docs/ssh.md): intent.run fails with ADAPTER_NOT_CONFIGURED and runs nothing',
  tools: 'no mcp: in engine.config.yaml (docs/mcp.md): tool.call fails with ADAPTER_NOT_CONFIGURED',
  memory: 'no vector memory in this release: memory.* steps fail with ADAPTER_NOT_CONFIGURED',
  http: 'no probes: in engine.config.yaml (docs/probes.md): http.request fails with ADAPTER_NOT_CONFIGURED',
} as const;

export class UnconfiguredLlm implements Llm {
  async complete(request: LlmRequest): Promise<LlmAnswer> {
    return notConfigured(`the LLM for role ${request.role} (model ${request.model})`);
  }
}

export class UnconfiguredShell implements Shell {
  async exec(request: ShellRequest): Promise<ShellResult> {
    return notConfigured(`SSH execution on ${request.host ?? 'the local host'}`);
  }
}

export class UnconfiguredTools implements Tools {
  async call(name: string): Promise<unknown> {
    return notConfigured(`MCP tool ${name}`);
  }
}

export class UnconfiguredMemory implements VectorMemory {
  async search(): Promise<MemoryHit[]> {
    return notConfigured('the vector memory');
  }
  async remember(): Promise<void> {
    notConfigured('the vector memory');
  }
}

export class UnconfiguredHttp implements HttpProbe {
  async request(request: HttpRequest): Promise<HttpAnswer> {
    return notConfigured(`the HTTP probe of ${new URL(request.url).origin}`);
  }
}
