import { EngineError } from '../../engine/errors.ts';
import type { Shell, ShellRequest, ShellResult } from '../../engine/ports/shell.ts';
import { copyJson } from '../inmemory/json-copy.ts';
import { CallScript, rejectIfAborted, scriptedFailure } from './script.ts';

export interface ShellCall {
  host: string | null;
  argv: string[];
  timeoutMs: number;
}

/**
 * Results scripted for a shell: either a map from the command (argv joined by one space) to one
 * result or a list of results per call, or a list answering every call in order. Missing fields
 * default to a clean exit; `{error: {code, message}}` makes the call fail (an unreachable host).
 */
export type ShellScript = Record<string, unknown> | unknown[];

const CLEAN_EXIT: ShellResult = { exitCode: 0, stdout: '', stderr: '' };

/** Never runs anything: records each request and answers from its script. */
export class RecordingShell implements Shell {
  readonly calls: ShellCall[] = [];
  readonly #byCommand: CallScript | null;
  readonly #inOrder: unknown[] | null;
  #nextInOrder = 0;

  constructor(script: ShellScript = {}) {
    this.#inOrder = Array.isArray(script) ? copyJson(script, 'shell script') : null;
    this.#byCommand = Array.isArray(script)
      ? null
      : new CallScript(script, { subject: 'shell command', exhaustedCode: 'SHELL_SCRIPT_EXHAUSTED' });
  }

  async exec(request: ShellRequest): Promise<ShellResult> {
    rejectIfAborted(request.signal);
    this.calls.push({ host: request.host, argv: [...request.argv], timeoutMs: request.timeoutMs });
    const scripted = this.#scripted(request.argv.join(' '));
    if (scripted === undefined) return { ...CLEAN_EXIT };
    const failure = scriptedFailure(scripted);
    if (failure) throw failure;
    return toResult(scripted, request.argv.join(' '));
  }

  #scripted(command: string): unknown {
    if (this.#byCommand) return this.#byCommand.has(command) ? this.#byCommand.next(command) : undefined;
    const list = this.#inOrder ?? [];
    if (this.#nextInOrder >= list.length) {
      throw new EngineError(
        'SHELL_SCRIPT_EXHAUSTED',
        `the shell was scripted for ${list.length} call(s); call ${this.#nextInOrder + 1} (${command}) has no result`,
        { details: { command, scripted: list.length } },
      );
    }
    return copyJson(list[this.#nextInOrder++]);
  }
}

function toResult(scripted: unknown, command: string): ShellResult {
  if (typeof scripted !== 'object' || scripted === null || Array.isArray(scripted)) {
    throw new EngineError('SHELL_SCRIPT_INVALID', `the scripted result for ${command} is not an object`);
  }
  const r = scripted as Partial<ShellResult>;
  return {
    exitCode: r.exitCode === undefined ? CLEAN_EXIT.exitCode : r.exitCode,
    stdout: r.stdout ?? CLEAN_EXIT.stdout,
    stderr: r.stderr ?? CLEAN_EXIT.stderr,
  };
}
