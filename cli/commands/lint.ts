import { formatDiagnostic, hasErrors } from '../../engine/diagnostics/diagnostic.ts';
import type { Io } from '../io.ts';
import { loadProject } from '../../runtime/project/project.ts';

/** `engine lint [paths]`: schema and semantic checks; exit 0 clean, 1 findings. */
export function lintCommand(paths: string[], options: { format: 'text' | 'json'; intents?: string; prompts?: string }, io: Io): number {
  const project = loadProject(paths.length ? paths : ['playbooks'], { intentsDir: options.intents, promptsDir: options.prompts });
  const diagnostics = project.diagnostics;
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ files: project.files, playbooks: project.playbooks.map((p) => p.ref), diagnostics }, null, 2));
  } else {
    for (const d of diagnostics) io.stdout(formatDiagnostic(d));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(`${project.files.length} playbook file(s), ${errors} error(s), ${diagnostics.length - errors} warning(s)`);
  }
  if (project.files.length === 0) {
    io.stderr(`no playbook found in ${paths.join(' ') || 'playbooks'}`);
    return 1;
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
