/**
 * Runtime failures: a code, a message for people and a retry decision. Checked by code, not by
 * instanceof, because errors cross queues and processes.
 */
export class EngineError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: unknown;

  constructor(code: string, message: string, options: { retryable?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Any thrown value as `{code, message}` for a trace. */
export function describeError(e: unknown): { code: string; message: string; retryable: boolean } {
  if (isEngineError(e)) return { code: e.code, message: e.message, retryable: Boolean((e as EngineError).retryable) };
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message, retryable: false };
  return { code: 'INTERNAL', message: String(e), retryable: false };
}
