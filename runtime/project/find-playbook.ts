import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { documentKind } from '../../engine/documents/kind.ts';
import { compilePlaybook } from '../../engine/playbook/load.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { loadYaml } from '../../engine/yaml/load.ts';
import { yamlFiles } from './files.ts';
import { showPath, type Project } from './project.ts';

/** A playbook found for a test file, compiled; `playbook` is null when its file has errors. */
export interface FoundPlaybook {
  name: string;
  file: string;
  playbook: Playbook | null;
  diagnostics: Diagnostic[];
}

/**
 * Finds the playbook a test file names, wherever the test file is: first among the project's
 * playbooks, then in the test file's folder and each folder above it up to the project root,
 * looking at the YAML files directly inside and in a `playbooks/` folder there. So
 * `playbooks/tests/x.yaml` finds `playbooks/x.yaml`, and a test file anywhere in the repository
 * finds the playbooks of `playbooks/`. Outside the project root, only the test's own folder and,
 * for a `tests/` folder, the one above it are searched. Each folder is read once.
 */
export class PlaybookFinder {
  readonly #project: Project;
  readonly #byFolder = new Map<string, FoundPlaybook[]>();

  constructor(project: Project) {
    this.#project = project;
  }

  /** `seen` holds every playbook name met on the way, for a "did you mean" when none matched. */
  find(testPath: string, name: string): { found: FoundPlaybook | null; lookedIn: string[]; seen: Set<string> } {
    const seen = new Set(this.#project.playbooks.map((p) => p.ref.name));
    const own = this.#project.playbooks.find((p) => p.ref.name === name);
    if (own) return { found: { name, file: own.file, playbook: own, diagnostics: [] }, lookedIn: [], seen };
    const lookedIn: string[] = [];
    for (const folder of this.#folders(testPath)) {
      lookedIn.push(`${showPath(folder)}${sep}`);
      const here = this.#playbooksIn(folder);
      for (const p of here) seen.add(p.name);
      const found = here.find((p) => p.name === name);
      if (found) return { found, lookedIn, seen };
    }
    return { found: null, lookedIn, seen };
  }

  #folders(testPath: string): string[] {
    const root = this.#project.root;
    const start = dirname(testPath);
    const inside = !relative(root, start).startsWith('..');
    if (!inside) return start.endsWith(`${sep}tests`) ? [start, dirname(start)] : [start];
    const out: string[] = [];
    for (let dir = start; ; dir = dirname(dir)) {
      out.push(dir);
      if (dir === root || dirname(dir) === dir) break;
    }
    return out;
  }

  #playbooksIn(folder: string): FoundPlaybook[] {
    const cached = this.#byFolder.get(folder);
    if (cached) return cached;
    const direct = existsSync(folder)
      ? readdirSync(folder).sort().filter((n) => /\.ya?ml$/.test(n)).map((n) => join(folder, n)).filter((p) => statSync(p).isFile())
      : [];
    const nested = yamlFiles([join(folder, 'playbooks')]).map((f) => f.path);
    const found: FoundPlaybook[] = [];
    for (const path of [...direct, ...nested]) {
      const file = showPath(path);
      const content = readFileSync(path);
      const doc = loadYaml(file, content);
      if (!doc.ok || documentKind(doc.value, path) !== 'playbook') continue;
      const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
      if (typeof name !== 'string') continue;
      const r = compilePlaybook(doc, content, this.#project.caps);
      found.push({ name, file, playbook: r.playbook, diagnostics: r.diagnostics });
    }
    this.#byFolder.set(folder, found);
    return found;
  }
}
