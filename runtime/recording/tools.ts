import { EngineError } from '../../engine/errors.ts';
import type { ToolCallOptions, Tools } from '../../engine/ports/tools.ts';
import { copyJson } from '../inmemory/json-copy.ts';
import { CallScript, rejectIfAborted, scriptedFailure } from './script.ts';

export interface ToolCall {
  name: string;
  args: Record<string, unknown>;
}

/**
 * Tool results from fixtures keyed by tool name: one value for every call, a list for one call
 * each (so a tool that returns an array is scripted as `[[...]]`), or `{error: {code, message}}`
 * for a call that fails with that coded error.
 */
export class FixtureTools implements Tools {
  readonly calls: ToolCall[] = [];
  readonly #script: CallScript;

  constructor(fixtures: Record<string, unknown> = {}) {
    this.#script = new CallScript(fixtures, { subject: 'tool', exhaustedCode: 'TOOL_SCRIPT_EXHAUSTED' });
  }

  async call(name: string, args: Record<string, unknown>, options: ToolCallOptions = {}): Promise<unknown> {
    rejectIfAborted(options.signal);
    this.calls.push({ name, args: copyJson(args, 'tool arguments') });
    if (!this.#script.has(name)) {
      throw new EngineError('TOOL_NO_FIXTURE', `no fixture for tool ${JSON.stringify(name)}`, { details: { name } });
    }
    const result = this.#script.next(name);
    const failure = scriptedFailure(result);
    if (failure) throw failure;
    return result;
  }
}
