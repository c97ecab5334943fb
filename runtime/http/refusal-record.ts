import type { RouterContext } from '@koa/router';
import { isEngineError } from '../../engine/errors.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import { REDACTED } from '../../engine/trace/redact.ts';
import type { RefusalRecord } from '../records/records.ts';
import { boundText } from '../sources/bounds.ts';
import type { HttpDeps } from './deps.ts';
import type { EdgeState } from './envelope.ts';
import { bodyExcerpt, printable, type SeenBody } from './excerpt.ts';
import { HTTP_STATUS_OF, type HttpErrorDetails } from './problem.ts';
import { knownSecrets } from './secrets.ts';
import type { SourceConfig } from './source-table.ts';

/**
 * A webhook request refused with a 4xx is counted (engine_events_received_total{result=
 * "rejected"}) and kept in the records, so GET /events shows it beside the accepted events. The
 * excerpt of the body is kept only once the sender is authenticated (an unauthenticated body is
 * anyone's). Keeping it is best effort: a failure is logged and the sender still gets its 4xx,
 * never a 500 that it would retry forever.
 */

/** What `receive` learnt about the request before it was refused. */
export interface SeenRequest extends SeenBody {
  authenticated: boolean;
}

const MAX_REASON = 1024;
const MAX_PATH = 256;

export async function whileRefusalsKept<T>(
  ctx: RouterContext<EdgeState>,
  deps: HttpDeps & { ids: Ids },
  config: SourceConfig,
  seen: SeenRequest,
  receive: () => Promise<T>,
): Promise<T> {
  try {
    return await receive();
  } catch (e) {
    deps.metrics.eventsReceived.inc({ source: config.name, result: 'rejected' });
    const refusal = refusalOf(e, ctx, deps, config, seen);
    if (refusal !== null) {
      await deps.records.recordRefusal(refusal).catch((failure: unknown) => {
        ctx.state.log.warn({ err: failure, code: refusal.code }, 'refused request not kept in the records; the sender still gets its 4xx');
      });
    }
    throw e;
  }
}

function refusalOf(e: unknown, ctx: RouterContext<EdgeState>, deps: HttpDeps & { ids: Ids }, config: SourceConfig, seen: SeenRequest): RefusalRecord | null {
  if (!isEngineError(e)) return null;
  const details = ((e as { details?: unknown }).details ?? {}) as HttpErrorDetails;
  const status = details.status ?? HTTP_STATUS_OF[e.code];
  if (status === undefined || status < 400 || status > 499) return null;
  const secrets = knownSecrets(deps);
  const body = details.body ?? {};
  const reason = typeof body['reason'] === 'string' ? body['reason'] : e.message;
  const path = typeof body['path'] === 'string' ? body['path'] : null;
  return {
    refusalId: deps.ids.next('ref_'),
    source: config.name,
    receivedAt: new Date(deps.clock.now()).toISOString(),
    status,
    code: e.code.slice(0, 64),
    reason: boundText(printable(masked(reason, secrets)), MAX_REASON),
    path: path === null ? null : boundText(printable(path), MAX_PATH),
    excerpt: seen.authenticated ? bodyExcerpt(seen, secrets) : null,
    bodyBytes: seen.bytes?.length ?? null,
    requestId: ctx.state.requestId,
  };
}

function masked(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}
