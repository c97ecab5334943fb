import type { Router, RouterContext } from '@koa/router';
import { RUN_STATUSES } from '../../records/records.ts';
import { requireBearer } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import type { EdgeState } from '../envelope.ts';
import { httpError } from '../problem.ts';
import { runListItem, runView } from '../run-view.ts';
import { redact } from '../../../engine/trace/redact.ts';
import { listReceived, type ReceivedItem } from '../../records/received-feed.ts';
import { knownSecrets } from '../secrets.ts';
import { choiceParam, cursorParam, limitParam, present, queryParams, textParam, timeParam } from './query.ts';

/**
 * The read side: a run as the dry-run shape, and the lists behind "why did it not fire?"
 * (runs, what was received: accepted events with their outcome and refused requests, paged
 * with a cursor; the audit trail). Read-only; guarded by
 * `deps.readAuth` when set, since they show alert texts, hosts and commands.
 */

const AUDIT_STATUSES = ['pending_execution', 'success', 'failure', 'not_run', 'shadowed', 'refused'] as const;
const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const LOG_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function mountRuns(router: Router<EdgeState>, deps: HttpDeps): void {
  const guard = (ctx: RouterContext<EdgeState>): void => {
    const auth = deps.readAuth;
    if (auth) requireBearer(ctx.get('authorization') || undefined, auth.bearer, 'records');
  };

  router.get('/runs/:id', async (ctx) => {
    guard(ctx);
    queryParams(ctx.query, []);
    const id = ctx.params['id'] ?? '';
    const row = RUN_ID.test(id) ? await deps.records.getRun(id) : null;
    if (row === null) throw httpError('UNKNOWN_RUN', `no run "${id.slice(0, 128)}"`);
    // A run a worker is running now has no summary yet: its journal tells how far it got.
    const live = row.status === 'running' && deps.liveRun ? await deps.liveRun(row) : null;
    ctx.body = live ? { ...runView({ ...row, result: live }), outcome: null, reason: null } : runView(row);
  });

  router.get('/logs/:name', async (ctx) => {
    guard(ctx);
    const params = queryParams(ctx.query, ['limit']);
    const name = ctx.params['name'] ?? '';
    if (!LOG_NAME.test(name)) throw httpError('BAD_QUERY', `a log name is lower case letters, digits and _ (got "${name.slice(0, 64)}")`, { body: { path: 'name' } });
    const limit = limitParam(params);
    ctx.body = { log: name, records: (await deps.records.listLog(name, limit)).map((r) => redact(r, knownSecrets(deps))) };
  });

  router.get('/runs/:id/journal', async (ctx) => {
    guard(ctx);
    queryParams(ctx.query, []);
    const id = ctx.params['id'] ?? '';
    const row = RUN_ID.test(id) ? await deps.records.getRun(id) : null;
    if (row === null) throw httpError('UNKNOWN_RUN', `no run "${id.slice(0, 128)}"`);
    // What the run asked for and was answered, in order; secrets stay sealed, secret-looking keys masked.
    const secrets = knownSecrets(deps);
    const entries = (await deps.records.readJournal(row.runId)).map((e) => redact(e, secrets));
    ctx.body = { runId: row.runId, status: row.status, entries };
  });

  router.get('/runs', async (ctx) => {
    guard(ctx);
    const params = queryParams(ctx.query, ['playbook', 'status', 'limit']);
    const rows = await deps.records.listRuns(
      present({ playbook: textParam(params, 'playbook'), status: choiceParam(params, 'status', RUN_STATUSES), limit: limitParam(params) }),
    );
    ctx.body = { runs: rows.map(runListItem) };
  });

  router.get('/events', async (ctx) => {
    guard(ctx);
    const params = queryParams(ctx.query, ['source', 'result', 'limit', 'cursor']);
    const page = await listReceived(
      deps.records,
      present({
        source: textParam(params, 'source'),
        result: choiceParam(params, 'result', ['accepted', 'refused'] as const),
        limit: limitParam(params),
        cursor: cursorParam(params),
      }),
    );
    // Redacted by the rules of traces: a password in a label or a body never comes back in clear.
    const secrets = knownSecrets(deps);
    ctx.body = { events: page.items.map((item) => redact(item, secrets) as ReceivedItem), next: page.next };
  });

  router.get('/audit', async (ctx) => {
    guard(ctx);
    const params = queryParams(ctx.query, ['run', 'playbook', 'intent', 'status', 'since', 'limit']);
    const audit = await deps.records.listAudit(
      present({
        runId: textParam(params, 'run'),
        playbook: textParam(params, 'playbook'),
        intent: textParam(params, 'intent'),
        status: choiceParam(params, 'status', AUDIT_STATUSES),
        since: timeParam(params, 'since'),
        limit: limitParam(params),
      }),
    );
    ctx.body = { audit };
  });
}
