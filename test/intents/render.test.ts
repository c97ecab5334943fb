import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrozenSet } from '../../engine/intents/frozen-set.ts';
import { quoteForPosixShell, renderCommand } from '../../engine/intents/render.ts';
import { shippedCatalog } from './shipped-catalog.ts';

/** Runs `printf '%s\0' ARGS` in /bin/sh and returns the words the shell parsed. */
function shellWords(commandLine: string): string[] {
  const out = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'buffer' });
  expect(out.status).toBe(0);
  const words = out.stdout.toString('utf8').split('\0');
  words.pop(); // after the last NUL
  return words;
}

describe('quoteForPosixShell', () => {
  it.each([
    ['nginx', 'nginx'],
    ['php8.1-fpm', 'php8.1-fpm'],
    ['--vacuum-size=500M', '--vacuum-size=500M'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(id)', "'$(id)'"],
    ['*', "'*'"],
    ['~root', "'~root'"],
    ['=ls', "'=ls'"],
  ])('%j -> %s', (arg, quoted) => {
    expect(quoteForPosixShell(arg)).toBe(quoted);
  });

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => quoteForPosixShell('a\0b')).toThrow(expect.objectContaining({ code: 'SHELL_QUOTE_NUL' }));
  });

  it('round-trips hostile arguments through a real /bin/sh', () => {
    const args = ["it's", '$(id)', '`id`', '${IFS}', 'a\nb', '*', '\\', '"', "'", '', ' ', '-e', '!', '#x', 'ｎｇｉｎｘ'];
    expect(shellWords(args.map(quoteForPosixShell).join(' '))).toEqual(args);
  });

  it('for any argv without NUL, /bin/sh parses the quoted command back to exactly that argv', () => {
    const arg = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\0'));
    const argv = fc.array(arg, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(argv, (words) => {
        expect(shellWords(words.map(quoteForPosixShell).join(' '))).toEqual(words);
      }),
      { numRuns: 200 },
    );
  });
});

describe('renderCommand', () => {
  const catalog = shippedCatalog();

  it('substitutes whole elements and quotes for display', () => {
    const def = catalog['collect_logs'];
    if (def === undefined) throw new Error('collect_logs missing');
    expect(renderCommand(def, 'php8.1-fpm')).toEqual({
      argv: ['journalctl', '--no-pager', '-n', '200', '-u', 'php8.1-fpm'],
      command: 'journalctl --no-pager -n 200 -u php8.1-fpm',
    });
  });

  it('renders every shipped intent with every allowed target to a command sh reads back exactly', () => {
    for (const def of Object.values(catalog)) {
      if (def.escalate) continue;
      for (const target of def.targetList ?? [null]) {
        const { argv, command } = renderCommand(def, target);
        expect(shellWords(command)).toEqual(argv);
      }
    }
  });

  it('refuses a target outside the allowlist even when called directly', () => {
    const def = catalog['restart_service'];
    if (def === undefined) throw new Error('restart_service missing');
    expect(() => renderCommand(def, 'sshd')).toThrow(expect.objectContaining({ code: 'RENDER_TARGET_REFUSED' }));
    expect(() => renderCommand(def, null)).toThrow(expect.objectContaining({ code: 'RENDER_TARGET_REFUSED' }));
    const prune = catalog['docker_prune'];
    if (prune === undefined) throw new Error('docker_prune missing');
    expect(() => renderCommand(prune, 'nginx')).toThrow(expect.objectContaining({ code: 'RENDER_TARGET_REFUSED' }));
  });

  it('refuses to render ESCALATE', () => {
    const def = catalog['ESCALATE'];
    if (def === undefined) throw new Error('ESCALATE missing');
    expect(() => renderCommand(def, null)).toThrow(expect.objectContaining({ code: 'RENDER_NO_COMMAND' }));
  });

  it('uses a target set that cannot grow at run time', () => {
    const set = new FrozenSet(['nginx']);
    expect((set as unknown as { add?: unknown }).add).toBeUndefined();
    expect(Object.isFrozen(set)).toBe(true);
    expect([...set]).toEqual(['nginx']);
  });
});
