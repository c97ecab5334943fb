import type { SchemaProblem } from '../schema-check/index.ts';
import type { YamlPath } from '../yaml/load.ts';

/** The top-level keys a playbook must have; a missing one is a broken part, not a broken file. */
const REQUIRED = ['apiVersion', 'kind', 'metadata', 'on', 'steps'] as const;

/**
 * The parts of a playbook that failed its schema: a step (nested steps on their own), a gate,
 * the trigger, `on.when`, metadata, a top-level key. Later stages skip exactly these and check
 * every other part, so one lint pass reports a schema error in one step together with the
 * expression and reference errors of the others. Each part that has no problem is, by
 * construction, valid against the schema, so the stages may read it as typed.
 */
export class BrokenParts {
  readonly #parts = new Set<string>();

  static none(): BrokenParts {
    return new BrokenParts();
  }

  /**
   * The broken parts for a document's schema problems; null when the whole document is unusable
   * (it is not a mapping), so no later stage may run.
   */
  static of(value: unknown, problems: readonly SchemaProblem[]): BrokenParts | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const broken = new BrokenParts();
    for (const p of problems) {
      if (p.path.length === 0) {
        // A problem with the document itself once it is a mapping: a required key is missing.
        for (const key of REQUIRED) if (!(key in value)) broken.#parts.add(key);
      } else {
        broken.#parts.add(partOf(p.path).join('\u0000'));
      }
    }
    return broken;
  }

  /** Whether `path` is in a broken part (the part itself, or inside it). */
  has(path: YamlPath): boolean {
    if (this.#parts.size === 0) return false;
    for (let n = path.length; n > 0; n--) if (this.#parts.has(path.slice(0, n).join('\u0000'))) return true;
    return false;
  }

  /** Whether some broken part lies at or under `path`, other than the paths in `except`. */
  within(path: YamlPath, except: readonly YamlPath[] = []): boolean {
    const prefix = path.join('\u0000');
    const skip = new Set(except.map((p) => p.join('\u0000')));
    for (const part of this.#parts) {
      if (skip.has(part)) continue;
      if (part === prefix || part.startsWith(`${prefix}\u0000`)) return true;
    }
    return false;
  }

  get empty(): boolean {
    return this.#parts.size === 0;
  }
}

/**
 * The part a problem belongs to: the innermost step (`steps[2].parallel[0]`), a gate, a key of
 * `on:` (its trigger keys and `when:` apart), or the top-level key.
 */
function partOf(path: readonly (string | number)[]): (string | number)[] {
  const [top] = path;
  if (top === 'steps') {
    const out: (string | number)[] = ['steps'];
    let i = 1;
    while (typeof path[i] === 'number') {
      out.push(path[i]!);
      if ((path[i + 1] === 'parallel' || path[i + 1] === 'steps') && typeof path[i + 2] === 'number') {
        out.push(path[i + 1]!);
        i += 2;
      } else break;
    }
    return out;
  }
  if ((top === 'gates' && typeof path[1] === 'number') || (top === 'on' && path.length > 1)) return path.slice(0, 2);
  return [top!];
}
