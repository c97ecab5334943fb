import type { Router, RouterContext } from '@koa/router';
import { isEngineError } from '../../../engine/errors.ts';
import type { NormalizedEvent } from '../../../schemas/event.ts';
import type { AdmissionResult } from '../../admission/admission.ts';
import { requireBearer, requireSignature } from '../auth.ts';
import { bodyKind, parseBody, readBodyBytes, type BodyRules } from '../body.ts';
import type { HttpDeps } from '../deps.ts';
import type { EdgeState } from '../envelope.ts';
import { httpError, RETRY_AFTER_SECONDS } from '../problem.ts';
import { RandomIds } from '../../random-ids.ts';
import { whileRefusalsKept, type SeenRequest } from '../refusal-record.ts';
import { normalizeWith, type SourceConfig } from '../source-table.ts';

/**
 * `POST /hooks/:source`: bound, authenticate, parse, normalize, admit, answer. Every refusal
 * happens before admission, so a 4xx means nothing was admitted (the refusal itself is kept for
 * GET /events, see ../refusal-record.ts) and a 202 means the events and their runs are durable. A store failure is a 503: the sender retries, nothing was accepted.
 * An old event is not refused: Alertmanager repeats a long-firing alert with its first startsAt
 * and drops it on a 4xx, so age is judged by each playbook's stale gate, which says why in the
 * answer and in GET /events.
 */

/** The JSON field that Uptime Kuma's form-data option puts its document in. */
const UPTIME_KUMA_FORM_FIELD = 'data';

export interface HookAnswer {
  runs: string[];
  /** `runs` with the playbook of each: `[{run, playbook}]`. */
  started: AdmissionResult['started'];
  skipped: AdmissionResult['skipped'];
  events: string[];
  note?: string;
  /** Observium's `webhook` transport counts a delivery as done only when it reads this. */
  status?: 'successful';
}

export function mountHooks(router: Router<EdgeState>, httpDeps: HttpDeps): void {
  const deps = { ...httpDeps, ids: httpDeps.ids ?? new RandomIds() };
  router.post('/hooks/:source', async (ctx) => {
    const config = deps.sources.get(ctx.params['source'] ?? '');
    if (config === undefined) {
      const known = [...deps.sources.keys()].sort();
      throw httpError('UNKNOWN_SOURCE', `no webhook source "${String(ctx.params['source']).slice(0, 64)}"; known: ${known.join(', ')}`, {
        body: { known },
      });
    }
    if (!deps.accepting()) {
      throw httpError('SHUTTING_DOWN', 'the service is shutting down; retry later', {
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      });
    }
    const seen: SeenRequest = { authenticated: config.auth === null };
    const events = await whileRefusalsKept(ctx, deps, config, seen, () => receive(ctx, deps, config, seen));
    let admitted: AdmissionResult;
    try {
      admitted = await deps.admission.admitEvents(config.name, events.events, events.note);
    } catch (e) {
      if (isEngineError(e) && (e as { retryable?: unknown }).retryable === true) {
        throw httpError('SERVICE_UNAVAILABLE', 'events could not be recorded now; nothing was accepted, retry later', {
          headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        }, e);
      }
      throw e;
    }
    deps.metrics.eventsReceived.inc({ source: config.name, result: 'accepted' }, events.events.length);
    const answer: HookAnswer = { runs: admitted.runs, started: admitted.started, skipped: admitted.skipped, events: admitted.eventIds };
    if (events.note !== undefined) answer.note = events.note;
    if (config.normalizer === 'observium') answer.status = 'successful';
    ctx.status = 202;
    ctx.body = answer;
  });
}

/** Auth, body and normalization: the part of a request that can be the sender's fault. */
async function receive(
  ctx: RouterContext<EdgeState>,
  deps: HttpDeps,
  config: SourceConfig,
  seen: SeenRequest,
): Promise<{ events: NormalizedEvent[]; note?: string }> {
  const auth = config.auth;
  if (auth !== null && 'bearer' in auth) {
    requireBearer(ctx.get('authorization') || undefined, auth.bearer, `hooks/${config.name}`);
    seen.authenticated = true;
  }
  const rules: BodyRules = {
    bodyBytes: deps.limits.bodyBytes,
    maxDepth: deps.limits.maxDepth,
    formField: config.normalizer === 'uptime-kuma' ? UPTIME_KUMA_FORM_FIELD : null,
  };
  const kind = bodyKind(ctx.req.headers, rules);
  const bytes = await readBodyBytes(ctx.req, rules.bodyBytes);
  seen.bytes = bytes;
  if (auth !== null && 'hmac' in auth) {
    requireSignature(ctx.get(auth.hmac.header) || undefined, auth.hmac.header, auth.hmac.secret, bytes);
    seen.authenticated = true;
  }
  const body = parseBody(kind, bytes, rules);
  seen.body = body;
  const receivedAt = deps.clock.now();
  const outcome = normalizeWith(config, body, receivedAt);
  if (!outcome.ok) {
    throw httpError(outcome.code, `${config.name}: ${outcome.reason}`, {
      body: { reason: outcome.reason, ...(outcome.path === undefined ? {} : { path: outcome.path }) },
    });
  }
  return outcome.note === undefined ? { events: outcome.events } : { events: outcome.events, note: outcome.note };
}
