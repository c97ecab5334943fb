import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareDiagnostics, diagnostic, type Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { skippedReason } from '../../engine/documents/kind.ts';
import { checkTestCases, stepIdsOf } from '../../engine/documents/test-cases.ts';
import { loadCatalog } from '../../engine/intents/load-catalog.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import type { PlaybookRef } from '../../engine/trace/trace.ts';
import { PlaybookFinder } from './find-playbook.ts';
import { loadProject, showPath, type ProjectDocument, type ProjectOptions } from './project.ts';

/** What `engine lint` found: every diagnostic, sorted, and the files by kind. */
export interface LintReport {
  diagnostics: Diagnostic[];
  playbookFiles: string[];
  playbooks: PlaybookRef[];
  testFiles: string[];
  catalogFiles: string[];
  skipped: string[];
}

/**
 * Lints every YAML file under `paths` as what it is: playbooks through the staged loader, test
 * case files against their own schema (and the playbook they name must exist, wherever it is),
 * catalogs and target sets through the catalog loader; anything else is skipped with a note.
 */
export function lintProject(paths: readonly string[], options: ProjectOptions = {}): LintReport {
  const project = loadProject(paths, options);
  const diagnostics = [...project.diagnostics];
  const finder = new PlaybookFinder(project);
  const report: LintReport = { diagnostics, playbookFiles: project.files, playbooks: project.playbooks.map((p) => p.ref), testFiles: [], catalogFiles: [], skipped: [] };
  const catalogsDone = new Set([dirname(project.catalogFiles.catalog)]);
  for (const d of project.documents) {
    switch (d.kind) {
      case 'tests':
        report.testFiles.push(d.file);
        diagnostics.push(...lintTests(d, finder));
        break;
      case 'catalog':
      case 'targets': {
        report.catalogFiles.push(d.file);
        const dir = dirname(d.path);
        if (catalogsDone.has(dir)) break;
        catalogsDone.add(dir);
        diagnostics.push(...lintCatalogFolder(dir));
        break;
      }
      case 'tools':
        report.catalogFiles.push(d.file);
        // The project's own tool catalog was loaded (and reported) with the project.
        if (d.path !== project.toolsFile) diagnostics.push(...loadToolCatalog({ file: d.file, content: readFileSync(d.path) }).diagnostics);
        break;
      case 'unknown':
        report.skipped.push(d.file);
        diagnostics.push(diagnostic('DOCUMENT_SKIPPED', skippedReason(d.doc.value), { file: d.file, line: 1, column: 1 }, { severity: 'note' }));
        break;
    }
  }
  diagnostics.sort(compareDiagnostics);
  return report;
}

function lintTests(d: ProjectDocument, finder: PlaybookFinder): Diagnostic[] {
  const value = d.doc.value as { playbook?: unknown };
  const name = typeof value.playbook === 'string' ? value.playbook : null;
  const { found, lookedIn, seen } = name === null ? { found: null, lookedIn: [], seen: new Set<string>() } : finder.find(d.path, name);
  const steps = found?.playbook ? stepIdsOf(found.playbook.steps) : undefined;
  return checkTestCases(d.doc, new Set(found ? [found.name] : []), lookedIn, seen, steps).diagnostics;
}

/** A catalog folder other than the project's: catalog.yaml with its targets.yaml, whichever exist. */
function lintCatalogFolder(dir: string): Diagnostic[] {
  const read = (name: string) => {
    const path = join(dir, name);
    return { file: showPath(path), content: existsSync(path) ? readFileSync(path) : '', exists: existsSync(path) };
  };
  const catalog = read('catalog.yaml');
  const targets = read('targets.yaml');
  const shown = new Set([catalog, targets].filter((f) => f.exists).map((f) => f.file));
  return loadCatalog(catalog, targets).diagnostics.filter((x) => shown.has(x.location.file));
}
