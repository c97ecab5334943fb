import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTree } from '../../engine/yaml/tree-check.ts';

describe('checkTree (the second layer behind the lexer checks)', () => {
  it('refuses a tag that reached the composed tree', () => {
    const lineCounter = new LineCounter();
    const doc = parseDocument('a: !!str x\n', { lineCounter });
    const { diagnostics } = checkTree('t.yaml', lineCounter, doc.contents as YamlNode, 64);
    expect(diagnostics.map((d) => [d.code, d.location.line, d.location.column])).toEqual([['YAML_TAG', 1, 10]]);
  });

  it('resolves aliases to the latest anchor of that name before them', () => {
    const lineCounter = new LineCounter();
    const doc = parseDocument('a: &x 1\nb: &x 2\nc: *x\n', { lineCounter });
    const { aliasTargets, diagnostics } = checkTree('t.yaml', lineCounter, doc.contents as YamlNode, 64);
    expect(diagnostics).toEqual([]);
    expect([...aliasTargets.values()].map((n) => n.toJSON())).toEqual([2]);
  });
});
