import { EngineError } from '../../engine/errors.ts';
import { readSourcesOffline } from '../../runtime/config/config.ts';
import { buildSourceTable, defaultSourceTable, normalizeWith, type SourceTable } from '../../runtime/http/source-table.ts';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';

/**
 * The sources the CLI normalizes bodies for: the built-in ones, and the named sources of
 * engine.config.yaml (two Alertmanagers, a staging Uptime Kuma) without their authentication.
 */
export function cliSourceTable(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): SourceTable {
  const read = readSourcesOffline(env, cwd);
  if (read.errors.length > 0) throw new EngineError('CONFIG_INVALID', read.errors.join('; '));
  const built = buildSourceTable(read.sources);
  if (!built.ok) throw new EngineError('CONFIG_INVALID', built.errors.map((e) => `engine.config.yaml: ${e.path}: ${e.message}`).join('; '));
  // The generic normalizer with its default mapping, for bodies that already use its field names,
  // and safeguard (served only when configured, with auth): offline, no request reaches anything.
  const table = new Map(built.table);
  for (const name of ['generic', 'safeguard'] as const) {
    if (!table.has(name)) table.set(name, { name, normalizer: name, options: NORMALIZERS[name].defaults, auth: null });
  }
  return table;
}

/**
 * A body from a monitoring tool becomes normalized events through the source's normalizer, as
 * `engine serve` does; without a source the body must already be a normalized event.
 */
export function normalizeBody(body: unknown, source: string | undefined, receivedAt = Date.now(), table: SourceTable = defaultSourceTable()): Record<string, unknown>[] {
  if (source === undefined) {
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { source?: unknown }).source === 'string') {
      return [body as Record<string, unknown>];
    }
    throw new EngineError('NEED_SOURCE', 'the event is not a normalized event (no "source" field); name its sender with --source');
  }
  const config = table.get(source);
  if (config === undefined) throw new EngineError('UNKNOWN_SOURCE', `unknown source ${JSON.stringify(source)}; known: ${[...table.keys()].sort().join(', ')}`);
  const out = normalizeWith(config, body, receivedAt);
  if (!out.ok) throw new EngineError('BAD_EVENT', `${source}: ${out.reason}`);
  if (out.events.length === 0) throw new EngineError('NO_EVENT', `${source}: no event in this body${out.note ? ` (${out.note})` : ''}`);
  return out.events as unknown as Record<string, unknown>[];
}
