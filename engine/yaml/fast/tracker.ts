import { FORBIDDEN_KEYS } from '../keys.ts';
import { MAX_ALIAS_EXPANSION, type YamlLimits } from '../limits.ts';
import type { FastAlias, FastMap, FastNode, FastScalar, FastSeq, Measure } from './nodes.ts';
import { Unsupported } from './unsupported.ts';

const LEAF: Measure = { size: 1, height: 0 };
const ANCHOR_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The bounds and name checks of the full loader (scan.ts, tree-check.ts), kept while the fast
 * path builds its tree: nesting depth, alias count and expansion, anchors, keys. Anything the
 * full loader would report (a duplicate key, a forbidden key, an alias bomb) is Unsupported
 * here, so that loader reads the file and reports it in its own words.
 */
export class Tracker {
  #depth = 0;
  #aliases = 0;
  #expanded = 0;
  /** Anchor name to its node; null while the anchored node is still being read. */
  readonly #anchors = new Map<string, FastNode | null>();
  readonly #measures = new Map<FastNode, Measure>();

  constructor(private readonly limits: YamlLimits) {}

  enter(): void {
    if (++this.#depth > this.limits.maxDepth) throw Unsupported;
  }

  leave(): void {
    this.#depth--;
  }

  anchorName(name: string): string {
    if (!ANCHOR_NAME.test(name) || this.#anchors.has(name)) throw Unsupported;
    this.#anchors.set(name, null);
    return name;
  }

  anchored(name: string, node: FastNode): void {
    this.#anchors.set(name, node);
    this.#measures.set(node, this.#measure(node));
  }

  alias(name: string, start: number): FastAlias {
    const target = this.#anchors.get(name);
    if (!ANCHOR_NAME.test(name) || target === undefined || target === null) throw Unsupported;
    if (++this.#aliases > this.limits.maxAliases) throw Unsupported;
    const m = this.#measures.get(target) ?? LEAF;
    this.#expanded += m.size;
    if (this.#expanded > MAX_ALIAS_EXPANSION || this.#depth + m.height > this.limits.maxDepth) throw Unsupported;
    return { kind: 'alias', start, target, value: copy(target.value) };
  }

  /** Adds a pair; a key the full loader refuses or reports (duplicate, __proto__) is Unsupported. */
  pair(map: FastMap, keyText: string, key: FastScalar, value: FastNode): void {
    if (FORBIDDEN_KEYS.has(keyText) || Object.hasOwn(map.value, keyText)) throw Unsupported;
    map.pairs.push({ keyText, key, value });
    map.value[keyText] = value.value;
  }

  item(seq: FastSeq, node: FastNode): void {
    seq.items.push(node);
    seq.value.push(node.value);
  }

  #measure(node: FastNode): Measure {
    switch (node.kind) {
      case 'scalar':
        return LEAF;
      case 'alias':
        return this.#measures.get(node.target) ?? LEAF;
      case 'seq':
        return collection(node.items.map((n) => this.#measure(n)));
      case 'map':
        return collection(node.pairs.flatMap((p) => [LEAF, this.#measure(p.value)]));
    }
  }
}

function collection(children: readonly Measure[]): Measure {
  let size = 1;
  let height = 0;
  for (const m of children) {
    size += m.size;
    height = Math.max(height, m.height);
  }
  return { size, height: height + 1 };
}

/** Aliases are copied into the value, never shared (as the full loader's plain-value stage does). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out;
  }
  return value;
}
