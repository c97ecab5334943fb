/** Runs a catalogued command on a host (SSH in production). Never given a shell string built from untrusted text. */
export interface Shell {
  exec(request: ShellRequest): Promise<ShellResult>;
}

export interface ShellRequest {
  host: string | null;
  argv: string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ShellResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}
