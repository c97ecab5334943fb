import type { CompiledExpr } from '../../engine/expr/index.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import type { ToolCatalog } from '../../engine/tools/model.ts';

/** One playbook version with the catalogs (intents, tools) and prompts it was compiled against. */
export interface PinnedPlaybook {
  playbook: Playbook;
  catalog: IntentCatalog;
  tools: ToolCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
}

/**
 * Versions out of force stay this many generations (reloads that changed the set) even when no
 * caller asked for them: a run admitted just before a reload, and not yet in the hashes the
 * caller passed to `retain`, still finds its version.
 */
export const RECENT_GENERATIONS = 20;

/**
 * Every playbook version by content hash, so a run executes the version it was admitted with
 * after reloads. Bounded: a version out of force is dropped once it is older than
 * RECENT_GENERATIONS and not among the hashes last passed to `retain`.
 */
export class PlaybookVersions {
  readonly #byHash = new Map<string, PinnedPlaybook & { lastInForce: number }>();
  #inForce: ReadonlySet<string> = new Set();
  #retained: ReadonlySet<string> = new Set();
  #generation = 0;

  /**
   * Records the versions in force after a reload. A version compiled again (the catalog or the
   * prompts changed, its file did not) takes the catalog and prompts of that reload: it lints
   * clean against them, and a run not started yet gets an intent withdrawn since.
   */
  inForce(entries: readonly PinnedPlaybook[], generation: number): void {
    this.#generation = generation;
    this.#inForce = new Set(entries.map((e) => e.playbook.ref.hash));
    for (const e of entries) this.#byHash.set(e.playbook.ref.hash, { ...e, lastInForce: generation });
    this.#prune();
  }

  get(hash: string): PinnedPlaybook | undefined {
    const entry = this.#byHash.get(hash);
    return entry && { playbook: entry.playbook, catalog: entry.catalog, tools: entry.tools, prompts: entry.prompts };
  }

  /** Replaces the hashes kept beyond the recent generations (those of the runs still live). */
  retain(hashes: Iterable<string>): void {
    this.#retained = new Set(hashes);
    this.#prune();
  }

  #prune(): void {
    for (const [hash, entry] of this.#byHash) {
      const recent = this.#generation - entry.lastInForce < RECENT_GENERATIONS;
      if (!this.#inForce.has(hash) && !recent && !this.#retained.has(hash)) this.#byHash.delete(hash);
    }
  }
}
