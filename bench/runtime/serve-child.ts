/**
 * The server under load, in its own process so the load generator does not share its event loop
 * and its resident memory is its own. Started by child-server.ts with an IPC channel:
 *
 *   node bin/run-ts.js bench/runtime/serve-child.ts engine   # `engine serve` (config from env)
 *   node bin/run-ts.js bench/runtime/serve-child.ts bare     # the baseline: bare Koa
 *
 * `engine` is what `engine serve` (cli/commands/serve.ts) starts, with the scripted world of the
 * benches so runs finish without outside systems, the system clock, and a silent logger.
 * `bare` reads and parses the body and answers the same 202 JSON, storing nothing.
 * Messages: → {type:'ready', url} once listening; {type:'settle'} → {type:'settled'} once no run
 * is queued or running; SIGTERM closes gracefully and exits.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import getRawBody from 'raw-body';

type ParentMessage = { type: 'settle' };

interface Served {
  url: string;
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function serveEngine(): Promise<Served> {
  // Imported here so the bare baseline's process holds Koa only, not the engine's modules.
  const { loadConfig } = await import('../../runtime/config/config.ts');
  const { createLogger } = await import('../../runtime/observability/logger.ts');
  const { startServer } = await import('../../runtime/service/server.ts');
  const { benchWorld } = await import('./fixtures.ts');
  const loaded = loadConfig(process.env, process.cwd());
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const server = await startServer(loaded.config, { logger: createLogger({ level: 'silent' }), watch: false, world: benchWorld(Date.now()) });
  return { url: server.url, settled: () => server.settled(), close: () => server.close('bench done') };
}

async function serveBare(): Promise<Served> {
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || !ctx.path.startsWith('/hooks/')) {
      ctx.status = 404;
      return;
    }
    const text = await getRawBody(ctx.req, { limit: 1024 * 1024, encoding: 'utf8' });
    const body = JSON.parse(text) as { monitor?: { id?: unknown } };
    ctx.status = 202;
    ctx.body = {
      runs: [],
      skipped: [{ playbook: 'supervisor', reason: `dedup: duplicate: uptime-kuma:monitor:${String(body.monitor?.id)}` }],
      events: [`evt_${randomUUID()}`],
    };
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    settled: async () => {},
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const mode = process.argv.at(-1);
if (mode !== 'engine' && mode !== 'bare') throw new Error(`serve-child: mode must be engine or bare, got ${String(mode)}`);
if (!process.send) throw new Error('serve-child: start it with an IPC channel (bench/runtime/child-server.ts)');
const send = (m: unknown): void => void process.send?.(m);

try {
  const served = mode === 'engine' ? await serveEngine() : await serveBare();
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'settle') served.settled().then(() => send({ type: 'settled' }), (e: unknown) => send({ type: 'error', message: String(e) }));
  });
  process.once('SIGTERM', () => {
    served.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`serve-child: close failed: ${String(e)}`);
        process.exit(1);
      },
    );
  });
  send({ type: 'ready', url: served.url });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}
