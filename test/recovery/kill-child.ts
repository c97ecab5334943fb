/**
 * A server (embedded) or a worker (distributed) process for the kill tests: a scripted world on a
 * real data folder or real PostgreSQL/Redis, with every effect's port call announced on stdout
 * as a boundary (`BOUNDARY n before|after kind`). At KILL_AT=`n:phase` it stops there and waits
 * to be killed (SIGKILL), as a machine losing power would. Shell commands that really ran are
 * appended to CALLS_LOG, so the parent knows what the killed process did.
 */
import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { RandomIds } from '../../runtime/random-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { openProfile } from '../../runtime/profiles/open.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer } from '../../runtime/service/server.ts';
import { startWorker } from '../../runtime/service/worker.ts';
import { KILL_NOW, SHELL } from './kill-world.ts';

const env = process.env as Record<string, string>;
const [killAt, killPhase] = (env['KILL_AT'] ?? 'none:none').split(':');
let boundary = 0;

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Announces a boundary; at the chosen one, never returns. */
async function at(phase: 'before' | 'after', n: number, kind: string): Promise<void> {
  out(`BOUNDARY ${n} ${phase} ${kind}`);
  if (String(n) === killAt && phase === killPhase) await new Promise<never>(() => {});
}

function hook<T extends object>(target: T, kind: string, methods: readonly string[]): T {
  for (const m of methods) {
    const original = (target as Record<string, unknown>)[m] as (...a: unknown[]) => unknown;
    (target as Record<string, unknown>)[m] = async (...args: unknown[]) => {
      const n = ++boundary;
      await at('before', n, `${kind}.${m}`);
      const result = await original.apply(target, args);
      await at('after', n, `${kind}.${m}`);
      return result;
    };
  }
  return target;
}

const loaded = loadConfig({ ...env, PORT: '0' }, process.cwd());
if (!loaded.ok) throw new Error(loaded.errors.join('; '));
const config = loaded.config;
const world = createScriptedWorld({ now: KILL_NOW, shell: SHELL });
const shell = world.shell;
const exec = shell.exec.bind(shell);
shell.exec = async (request) => {
  const result = await exec(request);
  appendFileSync(env['CALLS_LOG']!, `${request.argv.join(' ')}\n`);
  return result;
};
hook(shell, 'shell', ['exec']);
hook(world.notifier, 'notifier', ['send']);
const logger = createLogger({ level: 'silent' });
const profile = await openProfile(config, world.clock, logger);
hook(profile.state, 'state', ['get', 'set', 'setIfAbsent', 'delete']);
hook(profile.records, 'records', ['appendAudit', 'completeAudit']);
// Workers of the distributed profile share one audit table: their ids must not collide.
const ids = env['KILL_ROLE'] === 'worker' ? new RandomIds() : new CounterIds();
const next = ids.next.bind(ids);
let idBoundary = 0;
ids.next = (prefix: string) => {
  // Ids are synchronous: announced, never stopped at (a crash there is a crash before the next effect).
  if (prefix !== 'run_' && prefix !== 'evt_' && prefix !== 'req_') out(`ID ${++idBoundary} ${prefix}`);
  return next(prefix);
};
const options = { clock: world.clock, ids, logger, world, profile, watch: false as const, onRunFinished: (s: { outcome: string }) => out(`FINISHED ${s.outcome}`) };
if (env['KILL_ROLE'] === 'worker') {
  await startWorker(config, { ...options, sweepEveryMs: 3_600_000 });
  out('READY worker');
} else {
  const server = await startServer(config, options);
  out(`READY ${server.url}`);
}
