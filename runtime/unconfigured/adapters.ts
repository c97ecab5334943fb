import { EngineError } from '../../engine/errors.ts';
import type { Llm, LlmAnswer, LlmRequest } from '../../engine/ports/llm.ts';
import type { MemoryHit, VectorMemory } from '../../engine/ports/memory.ts';
import type { Shell, ShellRequest, ShellResult } from '../../engine/ports/shell.ts';
import type { Tools } from '../../engine/ports/tools.ts';

/**
 * Adapters for the parts of the world this deployment has not connected yet (the LLM, SSH, MCP
 * and vector memory adapters come with their own configuration). Each call fails with a clear,
 * non-retryable error, so a run takes its playbook's `on_error:` route (usually escalation to a
 * person) and its trace says what is missing, instead of pretending something ran.
 */
function notConfigured(what: string, variable: string): never {
  throw new EngineError('ADAPTER_NOT_CONFIGURED', `${what} is not configured on this server (set ${variable})`, { retryable: false });
}

export class UnconfiguredLlm implements Llm {
  async complete(request: LlmRequest): Promise<LlmAnswer> {
    return notConfigured(`the LLM for role ${request.role} (model ${request.model})`, 'OLLAMA_URL or ANTHROPIC_API_KEY');
  }
}

export class UnconfiguredShell implements Shell {
  async exec(request: ShellRequest): Promise<ShellResult> {
    return notConfigured(`SSH execution on ${request.host ?? 'the local host'}`, 'SSH_USER and SSH_KEY_FILE');
  }
}

export class UnconfiguredTools implements Tools {
  async call(name: string): Promise<unknown> {
    return notConfigured(`MCP tool ${name}`, 'MCP_SERVERS');
  }
}

export class UnconfiguredMemory implements VectorMemory {
  async search(): Promise<MemoryHit[]> {
    return notConfigured('the vector memory', 'MEMORY_URL');
  }
  async remember(): Promise<void> {
    notConfigured('the vector memory', 'MEMORY_URL');
  }
}
