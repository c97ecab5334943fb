import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { checkTestCases } from '../../engine/documents/test-cases.ts';
import type { Io } from '../io.ts';
import { PlaybookFinder } from '../../runtime/project/find-playbook.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { testDocuments } from '../../runtime/project/test-files.ts';
import { runCaseFile, type CaseResult } from '../testing/run-cases.ts';

/**
 * `engine test [paths]`: runs playbook test cases. A path is a test file, a tests/ folder, a
 * playbooks folder (its tests/ inside), or a playbook file (the tests beside it that name it);
 * each test file finds its playbook wherever it is (runtime/project/find-playbook.ts).
 * Exit 0 when all pass, 1 otherwise, 2 for a path that does not exist.
 */
export async function testCommand(paths: string[], options: { format: 'text' | 'json' }, io: Io): Promise<number> {
  const roots = paths.length ? paths : ['playbooks'];
  const missing = roots.filter((p) => !existsSync(p));
  if (missing.length) {
    for (const p of missing) io.stderr(`engine test: ${p}: no such file or folder`);
    return 2;
  }
  const project = loadProject(roots);
  if (hasErrors(project.diagnostics)) {
    for (const d of project.diagnostics) io.stderr(formatDiagnostic(d));
    io.stderr('engine test: the playbooks do not lint clean');
    return 1;
  }
  const explicitFiles = roots.filter((p) => statSync(p).isFile()).map((p) => resolve(p));
  const finder = new PlaybookFinder(project);
  const results: CaseResult[] = [];
  let broken = 0;
  for (const d of testDocuments(project, explicitFiles)) {
    const name = (d.doc.value as { playbook?: unknown }).playbook;
    let r: { results: CaseResult[]; diagnostics: Diagnostic[] };
    if (typeof name !== 'string') {
      r = { results: [], diagnostics: checkTestCases(d.doc, new Set()).diagnostics }; // the schema says what is wrong
    } else {
      const { found, lookedIn, seen } = finder.find(d.path, name);
      if (found?.playbook) r = await runCaseFile(project, d.doc, found.playbook);
      else if (found) r = { results: [], diagnostics: found.diagnostics }; // its playbook does not lint clean
      else r = { results: [], diagnostics: checkTestCases(d.doc, new Set(), lookedIn, seen).diagnostics };
    }
    for (const x of r.diagnostics) io.stderr(formatDiagnostic(x));
    if (r.diagnostics.length) broken += 1;
    results.push(...r.results);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ passed, failed, brokenFiles: broken, results }, null, 2));
  } else {
    for (const r of results) {
      io.stdout(`${r.ok ? 'ok  ' : 'FAIL'} ${r.file}: ${r.name}`);
      for (const f of r.failures) io.stdout(`       ${f}`);
    }
    io.stdout(`${passed} passed, ${failed} failed`);
  }
  if (results.length === 0 && broken === 0) {
    io.stderr(`no test cases found under ${roots.join(' ')} (tests/*.yaml)`);
    return 1;
  }
  return failed > 0 || broken > 0 ? 1 : 0;
}
