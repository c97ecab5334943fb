import { describeError } from '../../engine/errors.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { startServer } from '../../runtime/service/server.ts';
import { startWorker } from '../../runtime/service/worker.ts';
import type { Io } from '../io.ts';

/**
 * `engine serve` and `engine worker`: run until SIGTERM or SIGINT, then shut down gracefully.
 * A second signal during shutdown exits at once (the next start recovers interrupted runs).
 */
export async function serveCommand(role: 'serve' | 'worker', io: Io): Promise<number> {
  const loaded = loadConfig(process.env, process.cwd());
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`engine ${role}: ${e}`);
    return 2;
  }
  let service: { close(reason?: string): Promise<void> };
  try {
    service = role === 'serve' ? await startServer(loaded.config) : await startWorker(loaded.config);
  } catch (e) {
    const err = describeError(e);
    io.stderr(`engine ${role}: ${err.code}: ${err.message}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals > 1) process.exit(130);
      service.close(signal).then(resolve, (e: unknown) => {
        io.stderr(`engine ${role}: shutdown failed: ${describeError(e).message}`);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return 0;
}
