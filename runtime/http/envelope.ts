import type { Context, Middleware, Next } from 'koa';
import type { Logger } from 'pino';
import { describeError, isEngineError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import { HTTP_STATUS_OF, RETRY_AFTER_SECONDS, type HttpErrorDetails } from './problem.ts';

/**
 * What every request goes through: a request id (the client's when it is a sane token, else a
 * new one) on the answer and in the logs, every error turned into `{ error: { code, message } }`
 * with its status, and one log line per request. Nothing thrown by a handler reaches Koa.
 */

export interface EdgeState {
  requestId: string;
  log: Logger;
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

interface Answer {
  status: number;
  code: string;
  message: string;
  details: HttpErrorDetails;
}

export function envelope(deps: { logger: Logger; clock: Clock; ids: Ids }): Middleware<EdgeState> {
  return async (ctx: Context, next: Next) => {
    const started = deps.clock.now();
    const sent = ctx.get('x-request-id');
    const requestId = CLIENT_REQUEST_ID.test(sent) ? sent : deps.ids.next('req_');
    const log = deps.logger.child({ requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('x-request-id', requestId);
    let code: string | undefined;
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) answerUnrouted(ctx);
    } catch (e) {
      const answer = answerOf(e, requestId);
      code = answer.code;
      // A 503 is expected (store down, shutting down) and the sender retries: a warning, not an error.
      if (answer.status === 503) log.warn({ err: e, code }, 'request deferred');
      else if (answer.status >= 500) log.error({ err: e, code }, 'request failed');
      if (ctx.headerSent || !ctx.writable) {
        log.warn({ code }, 'error after the answer started; connection left to close');
      } else {
        write(ctx, answer, requestId);
      }
    }
    // Probes and scrapes come every few seconds: their successes only at debug level.
    const level = ctx.status < 400 && PROBES.has(ctx.path) ? 'debug' : 'info';
    log[level]({ method: ctx.method, path: ctx.path, status: ctx.status, code, ms: deps.clock.now() - started }, 'request');
  };
}

/** Koa's own 404 and the router's 405 have no body; give them the error shape too. */
function answerUnrouted(ctx: Context): void {
  const status = ctx.status;
  if (status === 404) {
    ctx.body = { error: { code: 'NOT_FOUND', message: `no route for ${ctx.method} ${ctx.path.slice(0, 200)}` } };
  } else if (status === 405) {
    ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ctx.method} is not allowed here; allowed: ${ctx.response.get('Allow')}` } };
  }
  ctx.status = status; // Koa sets 200 when a body is assigned.
}

function write(ctx: Context, answer: Answer, requestId: string): void {
  // Headers set before the failure (content type, caching) belong to the answer that was not sent.
  for (const name of ctx.res.getHeaderNames()) ctx.remove(name);
  ctx.set('x-request-id', requestId);
  for (const [name, value] of Object.entries(answer.details.headers ?? {})) ctx.set(name, value);
  if (answer.status === 503 && ctx.response.get('Retry-After') === '') ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  if (answer.details.close) {
    // The rest of the body was not read: do not leave it in a kept-alive connection.
    ctx.set('Connection', 'close');
    ctx.req.resume();
  }
  ctx.status = answer.status;
  // A refusal (4xx) always says why in `reason`, as the normalizers' refusals do; most also name a `path`.
  const reason = answer.status < 500 ? { reason: answer.message } : {};
  ctx.body = { error: { ...reason, ...answer.details.body, code: answer.code, message: answer.message } };
}

/** Status, code and message of anything thrown; internals stay in the log, not in the answer. */
function answerOf(e: unknown, requestId: string): Answer {
  const details = detailsOf(e);
  if (isEngineError(e)) {
    const status = details.status ?? HTTP_STATUS_OF[e.code];
    if (status !== undefined) return { status, code: e.code, message: e.message, details };
    if (describeError(e).retryable) {
      return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'a store the service needs is unavailable; retry later', details: {} };
    }
    if (e instanceof Error && e.name === 'EngineError') {
      // The code is stable and safe to show; the message may carry internals (SQL, paths).
      return { status: 500, code: e.code, message: `internal error; see the log for request ${requestId}`, details: {} };
    }
  }
  const status = (e as { status?: unknown }).status;
  const expose = (e as { expose?: unknown }).expose === true;
  if (typeof status === 'number' && status >= 400 && status < 500 && expose) {
    // http-errors from Koa or the router (ctx.throw, malformed URLs).
    return { status, code: codeOfStatus(status), message: (e as Error).message, details: {} };
  }
  return { status: 500, code: 'INTERNAL', message: `internal error; see the log for request ${requestId}`, details: {} };
}

function detailsOf(e: unknown): HttpErrorDetails {
  const details = (e as { details?: unknown } | null)?.details;
  return typeof details === 'object' && details !== null ? (details as HttpErrorDetails) : {};
}

function codeOfStatus(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'BAD_REQUEST';
}
