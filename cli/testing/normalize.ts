import { EngineError } from '../../engine/errors.ts';
import { isSourceName, NORMALIZERS } from '../../runtime/sources/normalizer.ts';

/**
 * A body from a monitoring tool becomes normalized events through the source's normalizer;
 * without a source the body must already be a normalized event.
 */
export function normalizeBody(body: unknown, source: string | undefined, receivedAt = Date.now()): Record<string, unknown>[] {
  if (source === undefined) {
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { source?: unknown }).source === 'string') {
      return [body as Record<string, unknown>];
    }
    throw new EngineError('NEED_SOURCE', 'the event is not a normalized event (no "source" field); name its sender with --source');
  }
  if (!isSourceName(source)) throw new EngineError('UNKNOWN_SOURCE', `unknown source ${JSON.stringify(source)}; known: ${Object.keys(NORMALIZERS).join(', ')}`);
  const normalizer = NORMALIZERS[source] as { normalize(b: unknown, o: unknown, r: number): { ok: boolean; events?: unknown[]; reason?: string; note?: string }; defaults: unknown };
  const out = normalizer.normalize(body, normalizer.defaults, receivedAt);
  if (!out.ok) throw new EngineError('BAD_EVENT', `${source}: ${out.reason}`);
  if (!out.events || out.events.length === 0) throw new EngineError('NO_EVENT', `${source}: no event in this body${out.note ? ` (${out.note})` : ''}`);
  return out.events as Record<string, unknown>[];
}
