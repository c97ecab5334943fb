import type { Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { EngineError } from '../../engine/errors.ts';
import type { CompiledExpr } from '../../engine/expr/index.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { EMPTY_TOOL_CATALOG, type ToolCatalog } from '../../engine/tools/model.ts';
import { loadProject } from '../project/project.ts';
import { PlaybookVersions, type PinnedPlaybook } from './versions.ts';

/** What runs use: the playbooks in force with the catalog and prompts they were checked against. */
export interface PlaybookSet {
  playbooks: readonly Playbook[];
  /** The last reload's; a refused file's last good version keeps its own (see `byHash`). */
  catalog: IntentCatalog;
  /** The tool catalog of the last reload (what the MCP adapter routes calls by). */
  tools: ToolCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  /** Incremented by each reload that changed something. */
  generation: number;
}

export interface ReloadReport {
  /** Playbooks now in force whose content hash changed (or that are new). */
  applied: string[];
  /** Playbooks no longer in force because their file was removed. */
  removed: string[];
  /** Files refused, with their errors; the last good version of their playbooks stays in force. */
  refused: { file: string; errors: string[] }[];
}

export interface RegistryOptions {
  root: string;
  playbooksDir: string;
  intentsDir?: string;
  promptsDir?: string;
}

/**
 * The playbooks a server runs, reloaded from disk. A file that lints clean replaces the version
 * in force; a file with errors is refused and the last good version of its playbooks keeps
 * running. An error in the catalog or the prompts refuses the whole reload (every playbook was
 * checked against them). Every version in force is also kept by content hash (PlaybookVersions),
 * with the catalog and prompts it was compiled against, so a queued run executes the version it
 * was admitted with even after a reload replaced or removed it.
 */
export class PlaybookRegistry {
  readonly #options: RegistryOptions;
  #set: PlaybookSet | null = null;
  readonly #versions = new PlaybookVersions();

  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  /** The set in force; throws before the first successful load. */
  current(): PlaybookSet {
    if (!this.#set) throw new EngineError('PLAYBOOKS_NOT_LOADED', 'no playbook set is loaded yet');
    return this.#set;
  }

  find(name: string): Playbook | undefined {
    return this.#set?.playbooks.find((p) => p.ref.name === name);
  }

  /** The version of this content hash (`sha256:...`), in force or kept for the runs that use it. */
  byHash(hash: string): PinnedPlaybook | undefined {
    return this.#versions.get(hash);
  }

  /**
   * The hashes of the runs still live (queued, running, waiting): their versions are kept after
   * they leave force. Replaces the previous set; versions of the last RECENT_GENERATIONS
   * generations are kept anyway.
   */
  retain(hashes: Iterable<string>): void {
    this.#versions.retain(hashes);
  }

  /** Reads everything again. The first call throws when nothing usable loads. */
  reload(): ReloadReport {
    const o = this.#options;
    const project = loadProject([o.playbooksDir], { root: o.root, ...(o.intentsDir ? { intentsDir: o.intentsDir } : {}), ...(o.promptsDir ? { promptsDir: o.promptsDir } : {}) });
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    const byFile = groupByFile(errors);
    const playbookFiles = new Set(project.files);
    const sharedErrors = [...byFile.entries()].filter(([file]) => !playbookFiles.has(file));
    if (!project.catalog || sharedErrors.length > 0) {
      const refused = sharedErrors.map(([file, list]) => ({ file, errors: list.map(formatDiagnostic) }));
      if (!project.catalog && refused.length === 0) refused.push({ file: o.intentsDir ?? 'intents', errors: ['the intent catalog did not load'] });
      if (!this.#set) throw new EngineError('PLAYBOOKS_INVALID', `cannot start: ${refused.flatMap((r) => r.errors).join('; ')}`);
      return { applied: [], removed: [], refused };
    }

    const previous = this.#set?.playbooks ?? [];
    const next = new Map<string, PinnedPlaybook>();
    const refused: ReloadReport['refused'] = [];
    for (const file of project.files) {
      const fileErrors = byFile.get(file);
      if (fileErrors) {
        refused.push({ file, errors: fileErrors.map(formatDiagnostic) });
        // The last good version keeps the catalog and prompts it was compiled against.
        for (const old of previous) {
          const kept = old.file === file ? this.#versions.get(old.ref.hash) : undefined;
          if (kept) next.set(old.ref.name, kept);
        }
        continue;
      }
      for (const p of project.playbooks) if (p.file === file) next.set(p.ref.name, { playbook: p, catalog: project.catalog, tools: project.tools, prompts: project.prompts });
    }
    const playbooks = [...next.values()].map((v) => v.playbook);
    const applied = playbooks.filter((p) => !previous.some((o) => o.ref.name === p.ref.name && o.ref.hash === p.ref.hash)).map((p) => p.ref.name);
    const removed = previous.filter((o) => !next.has(o.ref.name)).map((o) => o.ref.name);
    if (!this.#set && next.size === 0 && refused.length > 0) {
      throw new EngineError('PLAYBOOKS_INVALID', `cannot start: every playbook file has errors: ${refused.flatMap((r) => r.errors).join('; ')}`);
    }
    const changed = !this.#set || applied.length > 0 || removed.length > 0;
    this.#set = {
      playbooks,
      catalog: project.catalog,
      tools: project.tools ?? EMPTY_TOOL_CATALOG,
      prompts: project.prompts,
      generation: (this.#set?.generation ?? 0) + (changed ? 1 : 0),
    };
    this.#versions.inForce([...next.values()], this.#set.generation);
    return { applied, removed, refused };
  }
}

function groupByFile(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const file = d.location.file;
    const list = out.get(file);
    if (list) list.push(d);
    else out.set(file, [d]);
  }
  return out;
}
