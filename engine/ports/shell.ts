/** Runs a catalogued command on a host (SSH in production). Never given a shell string built from untrusted text. */
export interface Shell {
  exec(request: ShellRequest): Promise<ShellResult>;
}

export interface ShellRequest {
  host: string | null;
  argv: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** The effect id (`run/step/visit/n`): the same on a retry of the same effect, an idempotency key. */
  key?: string;
}

export interface ShellResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the command as the adapter measured it (ms), when it measures it (SSH does). */
  durationMs?: number;
}

/**
 * Contract for failures: a Shell that knows the command never reached the host (no adapter
 * configured, connection or authentication refused) rejects with an error whose `details` has
 * `started: false`. Any other rejection (a timeout, a dropped connection) means the command may
 * have run, and is recorded so.
 */
export function commandNotStarted(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const details = (error as { details?: unknown }).details;
  return typeof details === 'object' && details !== null && (details as { started?: unknown }).started === false;
}
