import { EngineError } from '../../engine/errors.ts';
import type { Llm, LlmAnswer, LlmRequest } from '../../engine/ports/llm.ts';
import { CallScript, rejectIfAborted, scriptedFailure } from './script.ts';

export interface LlmCall {
  role: string;
  model: string;
  system: string;
  prompt: string;
}

/**
 * An LLM that answers from a script keyed by role: `{diagnostician: {...}, validator: [a, b]}`.
 * A string is returned as is, anything else as JSON text (the engine parses it, as it would a
 * model's). `{error: {code, message}}` makes that call fail with the coded error.
 */
export class ScriptedLlm implements Llm {
  readonly calls: LlmCall[] = [];
  readonly #script: CallScript;

  constructor(answers: Record<string, unknown> = {}) {
    this.#script = new CallScript(answers, { subject: 'LLM role', exhaustedCode: 'LLM_SCRIPT_EXHAUSTED' });
  }

  async complete(request: LlmRequest): Promise<LlmAnswer> {
    rejectIfAborted(request.signal);
    const { role, model, system, prompt } = request;
    this.calls.push({ role, model, system, prompt });
    if (!this.#script.has(role)) {
      throw new EngineError('LLM_NO_SCRIPT', `no scripted answer for LLM role ${JSON.stringify(role)}`, {
        details: { role },
      });
    }
    const answer = this.#script.next(role);
    const failure = scriptedFailure(answer);
    if (failure) throw failure;
    return { text: typeof answer === 'string' ? answer : JSON.stringify(answer), model };
  }
}
