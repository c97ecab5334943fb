import { formatDiagnostic, type Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { EngineError } from '../../engine/errors.ts';
import { compileProgram, type Program } from '../../engine/run/program.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import type { PlaybookRef } from '../../engine/trace/trace.ts';
import type { EngineConfig } from '../../runtime/config/config.ts';
import { loadProject, showPath } from '../../runtime/project/project.ts';

/**
 * The version a run is replayed against, compiled with the project's catalog and prompts as
 * `engine lint` compiles it: the file given, or else the playbook of that name in PLAYBOOKS_DIR,
 * and only when its content hash is the one the run was admitted with (never a newer version
 * silently). Refused with REPLAY_PLAYBOOK (a usage error) saying what to pass.
 */
export function replayProgram(config: EngineConfig, admitted: PlaybookRef, file: string | undefined): { program: Program; file: string } {
  const dirs = { root: config.root, intentsDir: config.intentsDir, promptsDir: config.promptsDir };
  const project = loadProject([file ?? config.playbooksDir], dirs);
  if (!project.catalog) throw new EngineError('REPLAY_PLAYBOOK', `the intent catalog did not load: ${errorsOf(project.diagnostics)}`);
  const compile = (p: (typeof project.playbooks)[number]) => ({
    program: compileProgram(p, { catalog: project.catalog!, tools: project.tools, prompts: project.prompts, executors: STEP_EXECUTORS }),
    file: p.file,
  });
  const wanted = `version ${admitted.version} (${admitted.hash})`;
  if (file !== undefined) {
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new EngineError('REPLAY_PLAYBOOK', `${file} does not lint clean: ${errorsOf(errors)}`);
    const found = project.playbooks.find((p) => p.ref.name === admitted.name) ?? (project.playbooks.length === 1 ? project.playbooks[0] : undefined);
    if (!found) throw new EngineError('REPLAY_PLAYBOOK', `${file} holds no playbook named ${admitted.name}`);
    return compile(found);
  }
  const current = project.playbooks.find((p) => p.ref.name === admitted.name);
  const hint = 'pass --playbook FILE (that version, or any version to compare with)';
  if (!current) {
    const broken = project.diagnostics.some((d) => d.severity === 'error');
    throw new EngineError('REPLAY_PLAYBOOK', `no playbook ${admitted.name} in ${showPath(config.playbooksDir)}${broken ? ' that lints clean' : ''}; the run was admitted with ${wanted}: ${hint}`);
  }
  if (current.ref.hash !== admitted.hash) {
    throw new EngineError(
      'REPLAY_PLAYBOOK',
      `${current.file} holds ${admitted.name} version ${current.ref.version} (${current.ref.hash}), not the ${wanted} the run was admitted with: ${hint}`,
    );
  }
  return compile(current);
}

function errorsOf(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map(formatDiagnostic).join('; ') || 'see engine lint';
}
