import { formatDiagnostic, hasErrors } from '../../engine/diagnostics/diagnostic.ts';
import type { Io } from '../io.ts';
import { loadProject, testFiles } from '../../runtime/project/project.ts';
import { runCaseFile, type CaseResult } from '../testing/run-cases.ts';

/** `engine test [paths]`: runs playbook test cases; exit 0 when all pass, 1 otherwise. */
export async function testCommand(paths: string[], options: { format: 'text' | 'json' }, io: Io): Promise<number> {
  const roots = paths.length ? paths : ['playbooks'];
  const project = loadProject(roots);
  if (hasErrors(project.diagnostics)) {
    for (const d of project.diagnostics) io.stderr(formatDiagnostic(d));
    io.stderr('engine test: the playbooks do not lint clean');
    return 1;
  }
  const results: CaseResult[] = [];
  let broken = 0;
  for (const file of roots.flatMap((r) => testFiles(r)).map((f) => f)) {
    const r = await runCaseFile(project, file);
    for (const d of r.diagnostics) io.stderr(formatDiagnostic(d));
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
