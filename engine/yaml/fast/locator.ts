import type { LineCounter } from 'yaml';
import type { SourceLocation } from '../../diagnostics/diagnostic.ts';
import { offsetToLocation } from '../location.ts';
import type { YamlPath } from '../locator.ts';
import type { FastMap, FastNode, FastPair } from './nodes.ts';

/**
 * The full loader's YamlLocator, over the fast path's tree: the same rules (the nearest
 * existing ancestor for a path that does not exist, an alias followed only when a path goes
 * through it, the key of a pair, the first character of a scalar's content), so a diagnostic
 * lands on the same file:line:column whichever path read the file.
 */
export class FastLocator {
  /** Each mapping's key index, built the first time a path goes through it. */
  readonly #index = new WeakMap<FastMap, Map<string, FastPair>>();

  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly root: FastNode | null,
  ) {}

  locate(path: YamlPath): SourceLocation {
    return this.at(this.find(path).node);
  }

  locateKey(path: YamlPath): SourceLocation {
    const found = this.find(path);
    if (found.complete && found.pair) return this.atOffset(found.pair.key.start);
    return this.at(found.node);
  }

  locateScalarContent(path: YamlPath): SourceLocation {
    const { node, complete } = this.find(path);
    if (!complete || !node || node.kind !== 'scalar') return this.at(node);
    return this.atOffset(node.contentStart);
  }

  private find(path: YamlPath): { node: FastNode | null; complete: boolean; pair: FastPair | null } {
    let node: FastNode | null = this.root;
    let pair: FastPair | null = null;
    if (!node) return { node: null, complete: path.length === 0, pair };
    for (const segment of path) {
      const container: FastNode = node.kind === 'alias' ? node.target : node;
      if (container.kind === 'map') {
        const p = this.#pairs(container).get(String(segment));
        if (!p) return { node, complete: false, pair: null };
        pair = p;
        node = p.value;
      } else if (container.kind === 'seq') {
        const index = typeof segment === 'number' ? segment : /^[0-9]+$/.test(segment) ? Number(segment) : -1;
        const item: FastNode | undefined = container.items[index];
        if (!item) return { node, complete: false, pair: null };
        node = item;
        pair = null;
      } else return { node, complete: false, pair: null };
    }
    return { node, complete: true, pair };
  }

  #pairs(map: FastMap): Map<string, FastPair> {
    let index = this.#index.get(map);
    if (!index) {
      index = new Map(map.pairs.map((p) => [p.keyText, p] as const));
      this.#index.set(map, index);
    }
    return index;
  }

  private at(node: FastNode | null): SourceLocation {
    return this.atOffset(node?.start ?? 0);
  }

  private atOffset(offset: number): SourceLocation {
    return offsetToLocation(this.file, this.lineCounter, offset);
  }
}
