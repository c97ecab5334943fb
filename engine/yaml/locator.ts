import { isAlias, isMap, isScalar, isSeq, type Alias, type LineCounter, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import { keyString } from './keys.ts';
import { offsetToLocation } from './location.ts';

export type YamlPath = readonly (string | number)[];

interface Found {
  /** The deepest node that exists along the path. */
  node: YamlNode | null;
  /** Whether the whole path exists. */
  complete: boolean;
  /** The pair the last segment named, when its parent is a mapping. */
  pair: Pair | null;
}

/**
 * Finds where a value came from, for diagnostics of later stages. Works on the composed tree,
 * so it costs nothing until asked; each mapping gets a key index the first time a path goes
 * through it, so a lookup costs the path's length, not the mapping's size.
 */
export class YamlLocator {
  private readonly keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly lineCounter: LineCounter | null,
    private readonly root: YamlNode | null,
    private readonly aliasTargets: ReadonlyMap<Alias, YamlNode>,
  ) {}

  locate(path: YamlPath): SourceLocation {
    return this.at(this.find(path).node);
  }

  locateKey(path: YamlPath): SourceLocation {
    const found = this.find(path);
    if (found.complete && found.pair?.key) return this.at(found.pair.key as YamlNode);
    return this.at(found.node);
  }

  locateScalarContent(path: YamlPath): SourceLocation {
    const { node, complete } = this.find(path);
    if (!complete || !node || !isScalar(node) || !node.range) return this.at(node);
    return this.atOffset(this.contentOffset(node.type, node.range[0], node.range[1]));
  }

  private find(path: YamlPath): Found {
    let node: YamlNode | null = this.root;
    let pair: Pair | null = null;
    if (!node) return { node: null, complete: path.length === 0, pair };
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const container: YamlNode = isAlias(node) ? (this.aliasTargets.get(node) ?? node) : node;
      if (isMap(container)) {
        const p: Pair | undefined = this.index(container).get(String(segment));
        if (!p) return { node, complete: false, pair: null };
        pair = p;
        // `? key` without a value has no value node: the key is where it was written
        node = (p.value as YamlNode | null) ?? (p.key as YamlNode);
      } else if (isSeq(container)) {
        const index = typeof segment === 'number' ? segment : /^[0-9]+$/.test(segment) ? Number(segment) : -1;
        const item = container.items[index] as YamlNode | undefined;
        if (!item) return { node, complete: false, pair: null };
        node = item;
        pair = null;
      } else return { node, complete: false, pair: null };
    }
    return { node, complete: true, pair };
  }

  private index(map: YAMLMap): Map<string, Pair> {
    let index = this.keyIndex.get(map);
    if (index) return index;
    index = new Map();
    for (const pair of map.items) {
      const key = isAlias(pair.key) ? this.aliasTargets.get(pair.key) : (pair.key as YamlNode | null);
      const text = key && isScalar(key) ? keyString(key) : null;
      if (text !== null && !index.has(text)) index.set(text, pair as Pair);
    }
    this.keyIndex.set(map, index);
    return index;
  }

  /** After an opening quote; for a block scalar, the first character of its first non-blank line. */
  private contentOffset(type: string | undefined, start: number, end: number): number {
    if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') return start + 1;
    if (type !== 'BLOCK_LITERAL' && type !== 'BLOCK_FOLDED') return start;
    let line = this.text.indexOf('\n', start) + 1;
    while (line > 0 && line < end) {
      let i = line;
      while (this.text[i] === ' ') i++;
      if (this.text[i] !== '\n' && this.text[i] !== '\r') return i;
      line = this.text.indexOf('\n', i) + 1;
    }
    return start;
  }

  private at(node: YamlNode | null): SourceLocation {
    return this.atOffset(node?.range?.[0] ?? 0);
  }

  private atOffset(offset: number): SourceLocation {
    if (!this.lineCounter) return { file: this.file, line: 1, column: 1 };
    return offsetToLocation(this.file, this.lineCounter, offset);
  }
}
