import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

describe('bin/: the process boundary', () => {
  it('loads Chevrotain from its single-file build (bin/bundled-deps.mjs), not its 600-module entry point', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'test/fixtures/bin/resolve-chevrotain.ts')], { cwd: ROOT });
    expect(stdout).toMatch(/\/node_modules\/chevrotain\/lib\/chevrotain\.mjs$/);
  });
});
