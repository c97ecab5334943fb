import { EngineError } from '../../engine/errors.ts';
import type { HttpAnswer, HttpProbe, HttpRequest } from '../../engine/ports/http.ts';
import { CallScript, rejectIfAborted, scriptedFailure } from './script.ts';

/**
 * HTTP answers from fixtures keyed by `METHOD URL` (`POST https://glpi.example/apirest.php/initSession`):
 * `{status, body}` (body a string or JSON), a list for one call each, or `{error: {code, message}}`
 * for a probe that fails (STEP_TIMEOUT, HTTP_UNREACHABLE...).
 */
export class FixtureHttp implements HttpProbe {
  readonly calls: Omit<HttpRequest, 'signal'>[] = [];
  readonly #script: CallScript;

  constructor(fixtures: Record<string, unknown> = {}) {
    this.#script = new CallScript(fixtures, { subject: 'http', exhaustedCode: 'HTTP_SCRIPT_EXHAUSTED' });
  }

  async request(request: HttpRequest): Promise<HttpAnswer> {
    rejectIfAborted(request.signal);
    const { signal: _signal, ...seen } = request;
    this.calls.push(seen);
    const key = `${request.method} ${request.url}`;
    if (!this.#script.has(key)) throw new EngineError('HTTP_NO_FIXTURE', `no fixture for ${key}`, { details: { started: false } });
    const answer = this.#script.next(key);
    const failure = scriptedFailure(answer);
    if (failure) throw failure;
    const a = (answer ?? {}) as { status?: unknown; body?: unknown };
    const status = typeof a.status === 'number' ? a.status : 200;
    const body = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return { status, body: body.slice(0, request.maxBytes), durationMs: 0 };
  }
}
