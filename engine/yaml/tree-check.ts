import { isAlias, isMap, isScalar, isSeq, type Alias, type LineCounter, type Node as YamlNode } from 'yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.ts';
import { FORBIDDEN_KEYS, keyString } from './keys.ts';
import { MAX_ALIAS_EXPANSION } from './limits.ts';
import { offsetToLocation } from './location.ts';
import { tooDeep } from './scan.ts';

/**
 * Third stage: one pass over the composed tree, in document order, that checks keys
 * (strings only, no duplicates, nothing that reaches a prototype) and resolves aliases to
 * their anchors. Each anchored node is measured once (expanded size and height), so an
 * alias bomb is refused by arithmetic, without expanding anything.
 */
export interface TreeCheck {
  aliasTargets: Map<Alias, YamlNode>;
  diagnostics: Diagnostic[];
}

interface Measure {
  size: number;
  height: number;
}

const LEAF: Measure = { size: 1, height: 0 };

export function checkTree(file: string, lineCounter: LineCounter, root: YamlNode | null, maxDepth: number, checkTags = true): TreeCheck {
  const walk = new TreeWalk(file, lineCounter, maxDepth, checkTags);
  if (root) walk.visit(root, 0);
  return { aliasTargets: walk.aliasTargets, diagnostics: walk.diagnostics };
}

class TreeWalk {
  readonly aliasTargets = new Map<Alias, YamlNode>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly anchors = new Map<string, YamlNode>();
  private readonly measured = new Map<YamlNode, Measure>();
  private readonly open = new Set<YamlNode>();
  private expanded = 0;
  private refusedDepth = false;
  private refusedExpansion = false;

  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly maxDepth: number,
    private readonly checkTags: boolean,
  ) {}

  /** `depth` counts the collections around `node`. */
  visit(node: YamlNode, depth: number): Measure {
    if (isAlias(node)) return this.visitAlias(node, depth);
    // Second layer: the scan refuses tags as they are lexed; a tag that reached the tree anyway is refused here.
    if (node.tag && this.checkTags) this.report('YAML_TAG', `tag ${JSON.stringify(node.tag)} is not accepted`, node);
    const anchor = node.anchor;
    if (anchor) {
      this.anchors.set(anchor, node); // before the children: an alias inside is a cycle
      this.open.add(node);
    }
    const m = isMap(node) || isSeq(node) ? this.visitCollection(node, depth + 1) : LEAF;
    if (anchor) {
      this.open.delete(node);
      this.measured.set(node, m);
    }
    return m;
  }

  private visitCollection(node: YamlNode, depth: number): Measure {
    if (depth > this.maxDepth) {
      this.refuseDepth(node);
      return { size: 1, height: 1 };
    }
    let size = 1;
    let height = 0;
    const add = (m: Measure) => {
      size += m.size;
      height = Math.max(height, m.height);
    };
    if (isSeq(node)) {
      for (const item of node.items) add(item ? this.visit(item as YamlNode, depth) : LEAF);
    } else if (isMap(node)) {
      const seen = new Map<string, YamlNode>();
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (key) {
          add(this.visit(key, depth));
          this.checkKey(key, seen);
        }
        add(pair.value ? this.visit(pair.value as YamlNode, depth) : LEAF);
      }
    }
    return { size, height: height + 1 };
  }

  private visitAlias(alias: Alias, depth: number): Measure {
    const target = this.anchors.get(alias.source);
    if (!target) {
      this.report('YAML_SYNTAX', `alias *${alias.source} has no anchor &${alias.source} before it`, alias);
      return LEAF;
    }
    if (this.open.has(target)) {
      this.report('YAML_ALIAS', `alias *${alias.source} refers to a node that contains it`, alias);
      return LEAF;
    }
    this.aliasTargets.set(alias, target);
    const m = this.measured.get(target) ?? LEAF;
    this.expanded += m.size;
    if (this.expanded > MAX_ALIAS_EXPANSION && !this.refusedExpansion) {
      this.refusedExpansion = true;
      this.report(
        'YAML_ALIAS',
        `aliases expand the document by more than ${MAX_ALIAS_EXPANSION} nodes; the file is refused (an alias bomb?)`,
        alias,
      );
    }
    if (depth + m.height > this.maxDepth) this.refuseDepth(alias);
    return m;
  }

  private checkKey(key: YamlNode, seen: Map<string, YamlNode>): void {
    const node = isAlias(key) ? this.aliasTargets.get(key) : key;
    if (!node) return; // unresolved alias, already reported
    if (!isScalar(node)) {
      this.report('YAML_SYNTAX', 'a mapping or a list cannot be a key: keys must be plain strings', key);
      return;
    }
    const text = keyString(node);
    if (text === null) {
      this.report('YAML_SYNTAX', 'a key is empty', key);
      return;
    }
    if (FORBIDDEN_KEYS.has(text)) {
      this.report('YAML_FORBIDDEN_KEY', `key ${JSON.stringify(text)} is not allowed (it could reach an object prototype)`, key);
      return;
    }
    const first = seen.get(text);
    if (first) {
      const at = this.at(first);
      this.report('YAML_DUPLICATE_KEY', `duplicate key ${JSON.stringify(text)} (first at line ${at.line}, column ${at.column})`, key);
      return;
    }
    seen.set(text, key);
  }

  private refuseDepth(node: YamlNode): void {
    if (this.refusedDepth) return;
    this.refusedDepth = true;
    this.diagnostics.push(tooDeep(this.maxDepth, this.at(node)));
  }

  private report(code: Diagnostic['code'], message: string, node: YamlNode): void {
    this.diagnostics.push(diagnostic(code, message, this.at(node)));
  }

  private at(node: YamlNode): SourceLocation {
    return offsetToLocation(this.file, this.lineCounter, node.range?.[0] ?? 0);
  }
}
