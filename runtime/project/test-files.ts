import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { documentKind } from '../../engine/documents/kind.ts';
import { loadYaml } from '../../engine/yaml/load.ts';
import { yamlFiles } from './files.ts';
import { showPath, type Project, type ProjectDocument } from './project.ts';

/**
 * The test case files `engine test PATHS` runs: every test file found under the paths (a test
 * file given directly, a tests/ folder, a playbooks folder with its tests/), and for a playbook
 * file given directly, the test files beside it and in its tests/ folder that name it.
 */
export function testDocuments(project: Project, explicitPlaybooks: readonly string[]): ProjectDocument[] {
  const out = project.documents.filter((d) => d.kind === 'tests');
  const seen = new Set(out.map((d) => d.path));
  for (const path of explicitPlaybooks) {
    const playbook = project.playbooks.find((p) => p.file === showPath(path));
    if (!playbook) continue;
    const dir = dirname(path);
    const direct = readdirSync(dir).sort().filter((n) => /\.ya?ml$/.test(n)).map((n) => join(dir, n));
    const candidates = [...direct.filter((p) => statSync(p).isFile()), ...(existsSync(join(dir, 'tests')) ? yamlFiles([join(dir, 'tests')]).map((f) => f.path) : [])];
    for (const candidate of candidates) {
      if (seen.has(candidate)) continue;
      const file = showPath(candidate);
      const doc = loadYaml(file, readFileSync(candidate));
      if (!doc.ok || documentKind(doc.value, candidate) !== 'tests') continue;
      if ((doc.value as { playbook?: unknown }).playbook !== playbook.ref.name) continue;
      seen.add(candidate);
      out.push({ file, path: candidate, kind: 'tests', doc });
    }
  }
  return out;
}
