import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { compileTemplate, type CompiledExpr } from '../../engine/expr/index.ts';
import { loadCatalog } from '../../engine/intents/load-catalog.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';

/** A team's repository as the CLI sees it: the catalog, the prompts and the playbooks. */
export interface Project {
  root: string;
  catalog: IntentCatalog | null;
  prompts: ReadonlyMap<string, CompiledExpr>;
  playbooks: Playbook[];
  diagnostics: Diagnostic[];
  /** Playbook files read (for "no playbook found" messages). */
  files: string[];
}

export interface ProjectOptions {
  root?: string;
  intentsDir?: string;
  promptsDir?: string;
}

/** Reads the catalog, prompts and playbooks; every problem becomes a located diagnostic. */
export function loadProject(paths: readonly string[], options: ProjectOptions = {}): Project {
  const root = resolve(options.root ?? process.cwd());
  const show = (p: string) => relative(process.cwd(), p) || p;
  const diagnostics: Diagnostic[] = [];

  const intentsDir = resolve(root, options.intentsDir ?? 'intents');
  const catalogPath = join(intentsDir, 'catalog.yaml');
  const targetsPath = join(intentsDir, 'targets.yaml');
  let catalog: IntentCatalog | null = null;
  if (existsSync(catalogPath)) {
    const targets = existsSync(targetsPath) ? readFileSync(targetsPath) : '';
    const loaded = loadCatalog({ file: show(catalogPath), content: readFileSync(catalogPath) }, { file: show(targetsPath), content: targets });
    catalog = loaded.catalog;
    diagnostics.push(...loaded.diagnostics);
  } else {
    diagnostics.push(diagnostic('INTENT_UNKNOWN', `no intent catalog at ${show(catalogPath)}`, { file: show(catalogPath), line: 1, column: 1 }));
  }

  const prompts = new Map<string, CompiledExpr>();
  const promptsDir = resolve(root, options.promptsDir ?? 'prompts');
  if (existsSync(promptsDir)) {
    for (const name of readdirSync(promptsDir).sort()) {
      if (extname(name) !== '.md') continue;
      const file = join(promptsDir, name);
      const r = compileTemplate(readFileSync(file, 'utf8'), { roots: 'any', location: { file: show(file), line: 1, column: 1 } });
      diagnostics.push(...r.diagnostics);
      if (r.expr) prompts.set(basename(name, '.md'), r.expr);
    }
  }

  const files = paths.flatMap((p) => playbookFiles(resolve(p)));
  const caps = { executors: STEP_EXECUTORS, catalog, prompts: new Set(prompts.keys()) };
  const playbooks: Playbook[] = [];
  const names = new Map<string, string>();
  for (const file of files) {
    const r = loadPlaybook(show(file), readFileSync(file), caps);
    diagnostics.push(...r.diagnostics);
    if (!r.playbook) continue;
    const other = names.get(r.playbook.ref.name);
    if (other) {
      diagnostics.push(diagnostic('PLAYBOOK_DUPLICATE_NAME', `playbook ${r.playbook.ref.name} is also defined in ${other}`, { file: show(file), line: 1, column: 1 }));
      continue;
    }
    names.set(r.playbook.ref.name, show(file));
    playbooks.push(r.playbook);
  }
  return { root, catalog, prompts, playbooks, diagnostics, files: files.map(show) };
}

/** Playbooks are the .yaml/.yml files of a folder, except test cases under tests/. */
export function playbookFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'tests' && !name.startsWith('.')) out.push(...playbookFiles(full));
    } else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** Test case files: `tests/*.yaml` under each given folder, or the files themselves. */
export function testFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    if (statSync(full).isDirectory()) out.push(...(name === 'tests' ? playbookFiles(full) : testFiles(full)));
  }
  return out;
}
