import type { Router } from '@koa/router';
import type { HttpDeps, ReadinessCheck } from '../deps.ts';
import type { EdgeState } from '../envelope.ts';

/**
 * Liveness (the process answers), readiness (the stores it needs answer, and it is not shutting
 * down) and the Prometheus metrics. None of them needs auth or touches a request body.
 */
export function mountHealth(router: Router<EdgeState>, deps: HttpDeps): void {
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    let checks: Record<string, ReadinessCheck>;
    let adapters: Record<string, unknown> | undefined;
    try {
      const report = await deps.readiness();
      checks = { ...report.checks };
      adapters = report.adapters;
    } catch (e) {
      ctx.state.log.warn({ err: e }, 'readiness check failed');
      checks = { readiness: { ok: false, message: e instanceof Error ? e.message : String(e) } };
    }
    if (!deps.accepting()) checks['accepting'] = { ok: false, message: 'shutting down' };
    const ready = Object.values(checks).every((c) => c.ok);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks, ...(adapters === undefined ? {} : { adapters }) };
  });

  router.get('/metrics', async (ctx) => {
    if (deps.queueDepth !== undefined) {
      try {
        deps.metrics.queueDepth.set(await deps.queueDepth());
      } catch (e) {
        // Metrics must render while the queue is down: that is when people look at them.
        ctx.state.log.warn({ err: e }, 'queue depth unavailable for /metrics');
      }
    }
    ctx.set('Content-Type', deps.metrics.registry.contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.metrics.registry.metrics();
  });
}
