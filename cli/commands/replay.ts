import { existsSync } from 'node:fs';
import { describeError } from '../../engine/errors.ts';
import type { Program } from '../../engine/run/program.ts';
import { replayJournal } from '../../engine/run/replay.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import type { Io } from '../io.ts';
import { caseFromRun } from '../replay/case-from-run.ts';
import { readRecording, type StoredRecording } from '../replay/recorded-run.ts';
import { renderReplay } from '../replay/render.ts';
import { replayProgram } from '../replay/replay-program.ts';
import { appendCase } from '../replay/write-case.ts';

export interface ReplayOptions {
  playbook?: string;
  saveCase?: string;
  json?: boolean;
}

/** Where the command reads its configuration from: the process, or a test's own. */
interface ReplayContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/**
 * `engine replay RUN`: drives a version of the run's playbook (the one it was admitted with, or
 * `--playbook FILE`) with the answers its journal recorded, executing nothing, and reports the
 * first divergence. Exit 0 none, 1 a divergence, 2 when the run cannot be replayed (usage, an
 * unknown run, its version not found, the records unreachable): never 1, so a script can tell.
 */
export async function replayCommand(runId: string, o: ReplayOptions, io: Io, ctx: ReplayContext = { env: process.env, cwd: process.cwd() }): Promise<number> {
  const fail = (message: string) => {
    io.stderr(`engine replay: ${message}`);
    return 2;
  };
  const loaded = loadConfig(ctx.env, ctx.cwd);
  if (!loaded.ok) return fail(loaded.errors.join('; '));
  const { config } = loaded;
  if (o.playbook !== undefined && !existsSync(o.playbook)) return fail(`--playbook ${o.playbook}: no such file`);
  let recording: StoredRecording;
  let version: { program: Program; file: string };
  try {
    recording = await readRecording(config, runId);
    version = replayProgram(config, recording.row.playbook, o.playbook);
  } catch (e) {
    const err = describeError(e);
    return fail(`${err.code}: ${err.message}`);
  }
  const { program, file } = version;
  const result = replayJournal(program, recording.start, recording.recorded);
  let saved: { file: string; name: string; written: 'created' | 'appended'; notes: string[] } | null = null;
  if (o.saveCase !== undefined) {
    try {
      const made = caseFromRun(recording, program);
      saved = { file: o.saveCase, name: made.testCase.name, written: appendCase(o.saveCase, made.playbook, made.testCase, made.notes), notes: made.notes };
    } catch (e) {
      const err = describeError(e);
      io.stderr(`engine replay: --save-case ${o.saveCase}: ${err.code}: ${err.message}`);
    }
  }
  if (o.json) {
    const playbook = { recorded: recording.row.playbook, replayed: program.playbook.ref, file };
    io.stdout(JSON.stringify({ runId, playbook, notes: recording.notes, ...result, ...(o.saveCase !== undefined ? { savedCase: saved } : {}) }, null, 2));
  } else {
    for (const n of recording.notes) io.stderr(`engine replay: note: ${n}`);
    for (const line of renderReplay(runId, result, recording.recorded.answers.length)) io.stdout(line);
    if (saved) {
      io.stdout(`saved case "${saved.name}" to ${saved.file} (${saved.written}); run it with: engine test ${saved.file}`);
      for (const n of saved.notes) io.stdout(`  not reproduced exactly: ${n}`);
    }
  }
  if (o.saveCase !== undefined && saved === null) return 2;
  return result.divergence === null ? 0 : 1;
}
