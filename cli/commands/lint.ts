import { existsSync } from 'node:fs';
import { formatDiagnostic, hasErrors } from '../../engine/diagnostics/diagnostic.ts';
import type { Io } from '../io.ts';
import { lintProject } from '../../runtime/project/lint.ts';

/**
 * `engine lint [paths]`: every YAML file checked as what it is (playbooks, test cases, catalogs;
 * other YAML skipped with a note); exit 0 clean, 1 findings or nothing to lint, 2 a path that
 * does not exist.
 */
export function lintCommand(paths: string[], options: { format: 'text' | 'json'; intents?: string; prompts?: string }, io: Io): number {
  const roots = paths.length ? paths : ['playbooks'];
  const missing = roots.filter((p) => !existsSync(p));
  if (missing.length) {
    for (const p of missing) io.stderr(`engine lint: ${p}: no such file or folder`);
    return 2;
  }
  const report = lintProject(roots, { intentsDir: options.intents, promptsDir: options.prompts });
  const { diagnostics } = report;
  if (options.format === 'json') {
    const { playbookFiles, playbooks, testFiles, catalogFiles, skipped } = report;
    io.stdout(JSON.stringify({ files: playbookFiles, playbooks, tests: testFiles, catalogs: catalogFiles, skipped, diagnostics }, null, 2));
  } else {
    for (const d of diagnostics) io.stdout(formatDiagnostic(d));
    const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
    const files = [`${report.playbookFiles.length} playbook file(s)`, `${report.testFiles.length} test file(s)`];
    if (report.catalogFiles.length) files.push(`${report.catalogFiles.length} catalog file(s)`);
    if (report.skipped.length) files.push(`${report.skipped.length} skipped`);
    io.stderr(`${files.join(', ')}: ${count('error')} error(s), ${count('warning')} warning(s)`);
  }
  if (report.playbookFiles.length + report.testFiles.length + report.catalogFiles.length === 0) {
    io.stderr(`no playbook, test or catalog file found in ${roots.join(' ')}`);
    return 1;
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
