import { EngineError } from '../errors.ts';
import type { IntentDefinition } from './model.ts';
import { TARGET_PLACEHOLDER } from './template.ts';

export interface RenderedCommand {
  /** What a local executor passes to execve: no shell involved. */
  argv: string[];
  /** The same argv as one POSIX sh string: for display, the audit trail and SSH. */
  command: string;
}

/**
 * Builds the argv from the template by whole-element substitution. It trusts nothing: the
 * target must be in the intent's own allowlist even if the caller already validated it.
 */
export function renderCommand(
  def: Pick<IntentDefinition, 'name' | 'command' | 'targets' | 'escalate'>,
  target: string | null,
): RenderedCommand {
  if (def.escalate || def.command.length === 0) {
    throw new EngineError('RENDER_NO_COMMAND', `intent ${def.name} has no command to render`);
  }
  if (def.targets === null) {
    if (target !== null && target !== '') {
      throw new EngineError('RENDER_TARGET_REFUSED', `intent ${def.name} takes no target`);
    }
  } else if (target === null || !def.targets.has(target)) {
    throw new EngineError('RENDER_TARGET_REFUSED', `intent ${def.name} needs a target from its allowlist`);
  }
  const argv = def.command.map((element) => (element === TARGET_PLACEHOLDER ? (target as string) : element));
  return { argv, command: argv.map(quoteForPosixShell).join(' ') };
}

// A leading '=' is quoted too: zsh expands `=word` to a command path.
const SHELL_SAFE = /^[A-Za-z0-9._@%+:,/-][A-Za-z0-9._@%+=:,/-]*$/;

/**
 * One argument quoted so a POSIX sh (the remote login shell over SSH) reads it back as exactly
 * one word with exactly these bytes: plain when it only has safe characters, otherwise in
 * single quotes, where sh interprets nothing, and each embedded ' written as '\''.
 * NUL cannot be passed through any shell or execve, so it is refused rather than dropped.
 * Assumes a POSIX-family login shell (sh, dash, bash, ksh, zsh); fish and csh quote differently.
 */
export function quoteForPosixShell(arg: string): string {
  if (arg.includes('\u0000')) {
    throw new EngineError('SHELL_QUOTE_NUL', 'an argument containing NUL cannot be passed to a shell');
  }
  if (SHELL_SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
