import { Router } from '@koa/router';
import Koa from 'koa';
import { RandomIds } from '../random-ids.ts';
import type { HttpDeps } from './deps.ts';
import { envelope, type EdgeState } from './envelope.ts';
import { mountApprovals } from './routes/approvals.ts';
import { mountHealth } from './routes/health.ts';
import { mountHooks } from './routes/hooks.ts';
import { mountRuns } from './routes/runs.ts';

export type { HttpDeps, ReadinessReport } from './deps.ts';

/**
 * The Koa app of `engine serve`, not listening: the caller owns the server (tests serve it on an
 * ephemeral port). Routes: POST /hooks/:source; GET /runs/:id, /runs, /events, /audit;
 * POST /runs/:id/approvals; GET /healthz, /readyz, /metrics.
 */
export function createHttpApp(deps: HttpDeps): Koa<EdgeState> {
  const app = new Koa<EdgeState>({ proxy: false });
  // The envelope answers every handler error; what reaches here failed while writing the answer.
  app.on('error', (err: unknown) => deps.logger.error({ err }, 'http error outside a handler'));
  app.use(envelope({ logger: deps.logger, clock: deps.clock, ids: deps.ids ?? new RandomIds() }));
  const router = new Router<EdgeState>();
  mountHooks(router, deps);
  mountRuns(router, deps);
  mountApprovals(router, deps);
  mountHealth(router, deps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
