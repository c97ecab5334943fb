import type { Io } from '../../cli/io.ts';

/** An Io that keeps what a command printed, one entry per line, as the CLI would write them. */
export function captureIo(): { io: Io; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { io: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }, stdout, stderr };
}
