import { watch, type FSWatcher } from 'chokidar';
import type { PlaybookRegistry, ReloadReport } from './registry.ts';

export interface WatchOptions {
  /** Folders whose changes trigger a reload: playbooks, intents, prompts. */
  paths: string[];
  /** Editors write a file in several steps: wait this long after the last change. */
  debounceMs: number;
  onReload(report: ReloadReport): void | Promise<void>;
  onError(error: unknown): void;
}

/** Reloads the registry when a watched file changes. Returns a function that stops watching. */
export function watchPlaybooks(registry: PlaybookRegistry, options: WatchOptions): { ready: Promise<void>; close(): Promise<void> } {
  const watcher: FSWatcher = watch(options.paths, { ignoreInitial: true, ignored: (p) => /(^|[/\\])\.[^/\\]/.test(p) });
  let timer: NodeJS.Timeout | null = null;
  const fire = (): void => {
    timer = null;
    try {
      const report = registry.reload();
      Promise.resolve(options.onReload(report)).catch(options.onError);
    } catch (e) {
      options.onError(e);
    }
  };
  watcher.on('all', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
  });
  watcher.on('error', options.onError);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
