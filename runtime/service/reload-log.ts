import type { Logger } from 'pino';
import type { PlaybookRegistry, ReloadReport } from '../playbooks/registry.ts';

/** One log line per reload outcome; refused files carry their located errors. */
export function logReload(logger: Logger, report: ReloadReport, registry: PlaybookRegistry): void {
  for (const r of report.refused) logger.error({ file: r.file, errors: r.errors }, `reload refused for ${r.file}: the last good version stays in force`);
  if (report.applied.length > 0 || report.removed.length > 0) {
    const set = registry.current();
    logger.info(
      { applied: report.applied, removed: report.removed, generation: set.generation, playbooks: set.playbooks.map((p) => `${p.ref.name}@${p.ref.version}#${p.ref.hash.slice(0, 12)}`) },
      'playbooks loaded',
    );
  }
}
