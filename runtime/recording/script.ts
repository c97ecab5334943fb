import { EngineError } from '../../engine/errors.ts';
import { copyJson } from '../inmemory/json-copy.ts';

/**
 * Answers scripted per key (an LLM role, a tool name, a command): one value answers every call,
 * a list answers one call each, in order. A list is always read as one answer per call.
 */
export class CallScript {
  readonly #entries = new Map<string, unknown>();
  readonly #used = new Map<string, number>();
  readonly #subject: string;
  readonly #exhaustedCode: string;

  constructor(entries: Record<string, unknown>, options: { subject: string; exhaustedCode: string }) {
    for (const [key, value] of Object.entries(entries)) this.#entries.set(key, copyJson(value, `${options.subject} ${key}`));
    this.#subject = options.subject;
    this.#exhaustedCode = options.exhaustedCode;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The next answer for `key`, or throws when a list is used up. Call only when `has(key)`. */
  next(key: string): unknown {
    const entry = this.#entries.get(key);
    if (!Array.isArray(entry)) return copyJson(entry);
    const used = this.#used.get(key) ?? 0;
    if (used >= entry.length) {
      throw new EngineError(
        this.#exhaustedCode,
        `${this.#subject} ${JSON.stringify(key)} was scripted for ${entry.length} call(s); call ${used + 1} has no answer`,
        { details: { key, scripted: entry.length } },
      );
    }
    this.#used.set(key, used + 1);
    return copyJson(entry[used]);
  }
}

/**
 * A scripted failure: `{error: {code, message, retryable?, started?}}` and nothing else. The adapter
 * rejects with that coded error instead of answering.
 */
export function scriptedFailure(value: unknown): EngineError | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'error') return null;
  const error = (value as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, retryable, started } = error as { code?: unknown; message?: unknown; retryable?: unknown; started?: unknown };
  if (typeof code !== 'string') return null;
  // `started: false` scripts a failure known to have happened before anything reached the host.
  return new EngineError(code, typeof message === 'string' ? message : `scripted failure ${code}`, {
    retryable: retryable === true,
    ...(started === false ? { details: { started: false } } : {}),
  });
}

/** Adapters honour an already-aborted signal the way real ones would. */
export function rejectIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
