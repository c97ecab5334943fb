import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { documentKind, type DocumentKind } from '../../engine/documents/kind.ts';
import { compileTemplate, type CompiledExpr } from '../../engine/expr/index.ts';
import { loadCatalog } from '../../engine/intents/load-catalog.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import { compilePlaybook, type Capabilities } from '../../engine/playbook/load.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import { EMPTY_TOOL_CATALOG, type ToolCatalog } from '../../engine/tools/model.ts';
import { loadYaml, type LoadedYaml } from '../../engine/yaml/load.ts';
import { yamlFiles } from './files.ts';

/** A YAML file found beside the playbooks that is not one: lint checks it as what it is. */
export interface ProjectDocument {
  /** As diagnostics print it (relative to the working directory). */
  file: string;
  path: string;
  kind: Exclude<DocumentKind, 'playbook'>;
  doc: LoadedYaml;
}

/** A team's repository as the CLI sees it: the catalog, the prompts and the playbooks. */
export interface Project {
  root: string;
  catalog: IntentCatalog | null;
  /** tools/catalog.yaml, loaded; empty when the project has none (tool.call can then call nothing). */
  tools: ToolCatalog;
  /** Where the tool catalog was read from (absolute), whether or not it exists. */
  toolsFile: string;
  prompts: ReadonlyMap<string, CompiledExpr>;
  playbooks: Playbook[];
  diagnostics: Diagnostic[];
  /** Playbook files read (for "no playbook found" messages). */
  files: string[];
  /** Test cases, catalogs and unknown YAML found under the paths (not playbooks, never loaded as such). */
  documents: ProjectDocument[];
  /** Where the catalog was read from (absolute paths), so lint does not check it twice. */
  catalogFiles: { catalog: string; targets: string };
  /** What the playbooks were checked against; more playbooks can be compiled with it. */
  caps: Capabilities;
}

export interface ProjectOptions {
  root?: string;
  intentsDir?: string | undefined;
  promptsDir?: string | undefined;
  toolsDir?: string | undefined;
}

/** Shown paths are relative to the working directory, as a compiler prints them. */
export function showPath(p: string): string {
  return relative(process.cwd(), p) || p;
}

/**
 * Reads the catalog, the prompts and every YAML file under `paths`; each file is taken for what
 * its content says it is (engine/documents/kind.ts). Playbooks are compiled; the other documents
 * are returned for lint. Every problem becomes a located diagnostic.
 */
export function loadProject(paths: readonly string[], options: ProjectOptions = {}): Project {
  const root = resolve(options.root ?? process.cwd());
  const diagnostics: Diagnostic[] = [];

  const intentsDir = resolve(root, options.intentsDir ?? 'intents');
  const catalogPath = join(intentsDir, 'catalog.yaml');
  const targetsPath = join(intentsDir, 'targets.yaml');
  let catalog: IntentCatalog | null = null;
  if (existsSync(catalogPath)) {
    const targets = existsSync(targetsPath) ? readFileSync(targetsPath) : '';
    const loaded = loadCatalog({ file: showPath(catalogPath), content: readFileSync(catalogPath) }, { file: showPath(targetsPath), content: targets });
    catalog = loaded.catalog;
    diagnostics.push(...loaded.diagnostics);
  } else {
    diagnostics.push(diagnostic('INTENT_UNKNOWN', `no intent catalog at ${showPath(catalogPath)}`, { file: showPath(catalogPath), line: 1, column: 1 }));
  }

  const toolsFile = join(resolve(root, options.toolsDir ?? 'tools'), 'catalog.yaml');
  let tools = EMPTY_TOOL_CATALOG;
  if (existsSync(toolsFile)) {
    const loaded = loadToolCatalog({ file: showPath(toolsFile), content: readFileSync(toolsFile) });
    tools = loaded.catalog ?? EMPTY_TOOL_CATALOG;
    diagnostics.push(...loaded.diagnostics);
  }

  const prompts = new Map<string, CompiledExpr>();
  const promptsDir = resolve(root, options.promptsDir ?? 'prompts');
  if (existsSync(promptsDir)) {
    for (const name of readdirSync(promptsDir).sort()) {
      if (extname(name) !== '.md') continue;
      const file = join(promptsDir, name);
      const r = compileTemplate(readFileSync(file, 'utf8'), { roots: 'any', location: { file: showPath(file), line: 1, column: 1 } });
      diagnostics.push(...r.diagnostics);
      if (r.expr) prompts.set(basename(name, '.md'), r.expr);
    }
  }

  const caps: Capabilities = { executors: STEP_EXECUTORS, catalog, prompts: new Set(prompts.keys()), tools };
  const playbooks: Playbook[] = [];
  const files: string[] = [];
  const documents: ProjectDocument[] = [];
  const names = new Map<string, string>();
  for (const { path, explicit } of yamlFiles(paths.map((p) => resolve(p)))) {
    const file = showPath(path);
    const content = readFileSync(path);
    const doc = loadYaml(file, content);
    // A file that does not parse cannot say what it is: its errors are reported as a playbook's.
    let kind = doc.ok ? documentKind(doc.value, path) : 'playbook';
    if (kind === 'unknown' && explicit) kind = 'playbook';
    if (kind !== 'playbook') {
      documents.push({ file, path, kind, doc });
      continue;
    }
    files.push(file);
    const r = compilePlaybook(doc, content, caps);
    diagnostics.push(...r.diagnostics);
    if (!r.playbook) continue;
    const other = names.get(r.playbook.ref.name);
    if (other) {
      diagnostics.push(diagnostic('PLAYBOOK_DUPLICATE_NAME', `playbook ${r.playbook.ref.name} is also defined in ${other}`, { file, line: 1, column: 1 }));
      continue;
    }
    names.set(r.playbook.ref.name, file);
    playbooks.push(r.playbook);
  }
  return { root, catalog, tools, toolsFile, prompts, playbooks, diagnostics, files, documents, catalogFiles: { catalog: catalogPath, targets: targetsPath }, caps };
}
