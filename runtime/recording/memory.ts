import type { MemoryHit, VectorMemory } from '../../engine/ports/memory.ts';
import { copyJson } from '../inmemory/json-copy.ts';

export type Incident = Parameters<VectorMemory['remember']>[0];

/**
 * Vector memory from a fixture: every search returns the fixture's hits, best score first, cut to
 * `top`, whatever the text. Remembered incidents are recorded, not searchable, so a test's
 * answers do not depend on what an earlier run stored.
 */
export class FixtureMemory implements VectorMemory {
  readonly searches: { text: string; top: number }[] = [];
  readonly remembered: Incident[] = [];
  readonly #hits: MemoryHit[];

  constructor(hits: MemoryHit[] = []) {
    // A stable sort: equal scores keep the fixture's order.
    this.#hits = copyJson(hits, 'memory fixture').sort((a, b) => b.score - a.score);
  }

  async search(text: string, top: number): Promise<MemoryHit[]> {
    this.searches.push({ text, top });
    return copyJson(this.#hits.slice(0, Math.max(0, top)));
  }

  async remember(incident: Incident): Promise<void> {
    this.remembered.push(copyJson(incident, 'incident'));
  }
}
