import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { buildSourceTable } from '../../runtime/http/source-table.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { CAPS } from '../run/harness.ts';
import { REPO } from '../support/fixture-project.ts';

/**
 * Every example in the README and docs/ works as written: each playbook in a ```yaml block lints
 * clean, and each command in a ```sh block runs from the repository root and exits 0 (commands
 * that talk to `engine serve` are sent to a server this test starts, as the README's first
 * terminal would).
 */

const run = promisify(execFile);
const DOCS = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function blocks(file: string): Block[] {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    out.push({ file, line: start + 1, lang: open[1]!, text: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return out;
}

const ALL = DOCS.flatMap(blocks);
const PLAYBOOKS = ALL.filter((b) => b.lang === 'yaml' && /^kind: Playbook$/m.test(b.text));
/** One command per line; comments after `#` are the README's explanations. */
const COMMANDS = ALL.filter((b) => b.lang === 'sh').flatMap((b) =>
  b.text.split('\n').flatMap((raw, i) => {
    const command = raw.replace(/(^|\s)#.*$/, '').trim();
    return command ? [{ where: `${b.file}:${b.line + i}`, command }] : [];
  }),
);
const SCRIPTS = Object.keys((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('docs: the playbooks shown lint clean', () => {
  it('finds the README playbook', () => {
    expect(PLAYBOOKS.map((b) => b.file)).toContain('README.md');
  });
  it.each(PLAYBOOKS.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', (where, b) => {
    const r = loadPlaybook(where, b.text, CAPS);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});

const SOURCE_CONFIGS = ALL.filter((b) => b.lang === 'yaml' && /^sources:$/m.test(b.text));

describe('docs: the engine.config.yaml examples load', () => {
  it('finds the sources example', () => {
    expect(SOURCE_CONFIGS.length).toBeGreaterThan(0);
  });
  it.each(SOURCE_CONFIGS.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', (_where, b) => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-docs-config-'));
    try {
      writeFileSync(join(dir, 'engine.config.yaml'), b.text);
      // Every secret the example names comes from the environment: give each one a value.
      const env: Record<string, string> = { ENGINE_ROOT: dir };
      for (const m of b.text.matchAll(/(?:bearer_env|secret_env): ([A-Z0-9_]+)/g)) env[m[1]!] = `value-of-${m[1]!}-long-enough-for-a-secret`;
      const loaded = loadConfig(env, dir);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      const table = buildSourceTable(loaded.ok ? loaded.config.sources : []);
      expect(table.ok ? [] : table.errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs: the commands shown run as written', () => {
  let server: RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-docs-'));
    const loaded = loadConfig({ DATA_DIR: dataDir, PORT: '0', ENGINE_ROOT: REPO }, REPO);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    server = await startServer(loaded.config, { logger: createLogger({ level: 'silent' }), watch: false });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the quick start commands', () => {
    expect(COMMANDS.map((c) => c.command)).toEqual(expect.arrayContaining(['npm install && npm start', 'npm test', 'npx engine send examples/uptime-kuma/down.json --now']));
  });

  it.each(COMMANDS.map((c) => [c.where, c.command] as const))('%s: %s', async (_where, command) => {
    // npm's own commands install, serve or test: this suite is one of them. Check they exist.
    if (/^npm /.test(command)) {
      for (const part of command.split('&&').map((p) => p.trim())) {
        const [, verb, name] = /^npm (install|ci|start|test|run (\S+))/.exec(part) ?? [];
        expect(verb, `${part}: not an npm command the README may show`).toBeDefined();
        const script = verb === 'install' || verb === 'ci' ? null : (name ?? verb)!;
        if (script !== null) expect(SCRIPTS).toContain(script);
      }
      return;
    }
    const port = new URL(server.url).port;
    const shell = command.replaceAll('localhost:3002', `127.0.0.1:${port}`);
    const r = await run('bash', ['-c', shell], {
      cwd: REPO,
      env: { ...process.env, PATH: `${join(REPO, 'node_modules/.bin')}:${process.env['PATH']}`, ENGINE_URL: server.url },
      timeout: 60_000,
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => ({ failed: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
    expect('failed' in r ? `exit ${r.failed}: ${r.stderr}${r.stdout}` : 'exit 0').toBe('exit 0');
    if (command.startsWith('curl')) expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
});
