import type { Router } from '@koa/router';
import { requireBearer } from '../auth.ts';
import { bodyKind, parseBody, readBodyBytes, type BodyRules } from '../body.ts';
import type { HttpDeps } from '../deps.ts';
import type { EdgeState } from '../envelope.ts';
import { httpError } from '../problem.ts';

const RULES: BodyRules = { bodyBytes: 16 * 1024, maxDepth: 4, formField: null };
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const DECISIONS = { approve: 'approved', reject: 'rejected' } as const;

/**
 * `POST /runs/:id/approvals` `{step, decision: approve|reject, by, reason?}`: people's answer to
 * a waiting run (what `engine approve` sends). 200 with what was decided; 409 when the run does
 * not wait there (any more); the run resumes in a worker.
 */
export function mountApprovals(router: Router<EdgeState>, deps: HttpDeps): void {
  router.post('/runs/:id/approvals', async (ctx) => {
    const approvals = deps.approvals;
    if (!approvals) throw httpError('NOT_FOUND', 'approvals are not served here');
    if (approvals.bearer !== null) requireBearer(ctx.get('authorization') || undefined, approvals.bearer, 'approvals');
    else if (!LOOPBACK.has(ctx.req.socket.remoteAddress ?? '')) {
      throw httpError('APPROVALS_LOCAL_ONLY', 'approval decisions are taken from this host only unless APPROVE_TOKEN is set');
    }
    const body = parseBody(bodyKind(ctx.req.headers, RULES), await readBodyBytes(ctx.req, RULES.bodyBytes), RULES);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw httpError('APPROVAL_INVALID', 'the body is a JSON object {step, decision, by, reason?}');
    const b = body as Record<string, unknown>;
    const unknown = Object.keys(b).find((k) => !['step', 'decision', 'by', 'reason'].includes(k));
    if (unknown !== undefined) throw httpError('APPROVAL_INVALID', `unknown field ${JSON.stringify(unknown.slice(0, 64))}`, { body: { path: unknown.slice(0, 64) } });
    const text = (k: string): string => {
      if (typeof b[k] !== 'string' || b[k] === '') throw httpError('APPROVAL_INVALID', `${k}: a non-empty string is required`, { body: { path: k } });
      return b[k] as string;
    };
    const decision = text('decision');
    if (decision !== 'approve' && decision !== 'reject') throw httpError('APPROVAL_INVALID', 'decision: approve or reject', { body: { path: 'decision' } });
    if (b['reason'] !== undefined && typeof b['reason'] !== 'string') throw httpError('APPROVAL_INVALID', 'reason: a string', { body: { path: 'reason' } });
    const decided = await approvals.decide({
      runId: ctx.params['id'] ?? '',
      step: text('step'),
      decision: DECISIONS[decision],
      by: text('by'),
      reason: (b['reason'] as string | undefined) ?? null,
    });
    deps.logger.info({ ...decided }, `approval ${decided.approvalId} of run ${decided.runId} ${decided.decision} by ${decided.by}`);
    ctx.body = decided;
  });
}
