import { Type, type Static } from '@sinclair/typebox';
import { EngineError } from '../errors.ts';
import { defineExecutor, perform } from './executor.ts';

const HttpInput = Type.Object(
  {
    method: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('HEAD'), Type.Literal('POST')])),
    url: Type.String({ pattern: '^https?://', description: 'An http(s) URL under a base URL the configuration names.' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.Unknown({ description: 'POST body: a string, or JSON.' })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 * 1024 })),
  },
  { additionalProperties: false },
);

const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * Probes an HTTP endpoint (GLPI's initSession for the health check): {status, ok, body, json,
 * duration_ms}; `json` is the parsed answer when it is JSON (then `body` is null), else `body` its text. A probe changes nothing, so it runs in shadow mode too; an endpoint that does not
 * answer in time fails the step (STEP_TIMEOUT), so `on_error:` is where "down" is decided.
 */
export const httpRequestStep = defineExecutor<Static<typeof HttpInput>>({
  name: 'http.request',
  summary: 'Probes an HTTP endpoint of a configured host: {status, ok, body, json, duration_ms}.',
  effect: 'read',
  input: HttpInput,
  defaultTimeoutMs: 5000,
  run: function* (_ctx, input) {
    const method = input.method ?? 'GET';
    if (input.body !== undefined && method !== 'POST') throw new EngineError('STEP_INPUT', `http.request: a ${method} request has no body`);
    const json = input.body !== undefined && typeof input.body !== 'string';
    const headers = { ...(json ? { 'content-type': 'application/json' } : {}), ...(input.headers ?? {}) };
    const body = input.body === undefined ? null : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    const answer = yield* perform({ kind: 'http.request', method, url: input.url, headers, body, maxBytes: input.max_bytes ?? DEFAULT_MAX_BYTES });
    let parsed: unknown = null;
    try {
      parsed = answer.body === '' ? null : (JSON.parse(answer.body) as unknown);
    } catch {
      parsed = null; // not JSON: the text is in body
    }
    // A JSON answer is given parsed only, so the trace masks its secret-looking keys (a session token).
    return { status: answer.status, ok: answer.status >= 200 && answer.status < 300, body: parsed === null ? answer.body : null, json: parsed, duration_ms: answer.durationMs };
  },
});
