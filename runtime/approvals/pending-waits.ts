import type { Effect } from '../../engine/effects/effect.ts';
import type { JournalEntry } from '../records/journal.ts';

/** Effects a run suspended on (approvals, timers) that nothing has answered yet, from its journal. */
export function pendingWaits(entries: readonly JournalEntry[]): Effect[] {
  const answered = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'result' && e.effectId !== null) answered.add(e.effectId);
    if (e.kind === 'decision' || e.kind === 'timer') answered.add((e.body as { effectId: string }).effectId);
  }
  return entries
    .filter((e) => e.kind === 'effect' && e.effectId !== null && !answered.has(e.effectId))
    .map((e) => (e.body as { effect: Effect }).effect)
    .filter((effect) => effect.mode === 'wait');
}
