import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../engine/diagnostics/codes.ts';
import { loadYaml } from '../../engine/yaml/load.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/hostile/${name}`, import.meta.url)));

/** Each hostile fixture is refused with one code at one place. */
const cases: [file: string, code: DiagnosticCode, line: number, column: number][] = [
  ['billion-laughs.yaml', 'YAML_ALIAS', 8, 28], // the 51st alias
  ['alias-cycle.yaml', 'YAML_ALIAS', 2, 5],
  ['js-function.yaml', 'YAML_TAG', 2, 6],
  ['python-object.yaml', 'YAML_TAG', 2, 10],
  ['custom-tag.yaml', 'YAML_TAG', 4, 10],
  ['str-tag.yaml', 'YAML_TAG', 1, 7],
  ['binary-tag.yaml', 'YAML_TAG', 2, 7],
  ['yaml-1.1-on.yaml', 'YAML_DIRECTIVE', 1, 1],
  ['tag-directive.yaml', 'YAML_DIRECTIVE', 1, 1],
  ['proto-key.yaml', 'YAML_FORBIDDEN_KEY', 2, 1],
  ['proto-nested.yaml', 'YAML_FORBIDDEN_KEY', 5, 7],
  ['duplicate-keys.yaml', 'YAML_DUPLICATE_KEY', 3, 1],
  ['multi-document.yaml', 'YAML_MULTI_DOCUMENT', 2, 1],
  ['tabs.yaml', 'YAML_SYNTAX', 3, 1],
  ['unterminated-string.yaml', 'YAML_SYNTAX', 2, 14], // at the opening quote
  ['mapping-key.yaml', 'YAML_SYNTAX', 2, 3],
  ['deep-flow.yaml', 'YAML_TOO_DEEP', 1, 65], // the 65th [
  ['deep-compact-block.yaml', 'YAML_TOO_DEEP', 1, 129], // the 65th "- "
  ['utf8-lone-c3.yaml', 'INVALID_UTF8', 2, 13],
  ['utf8-overlong.yaml', 'INVALID_UTF8', 2, 10],
  ['utf8-ff.yaml', 'INVALID_UTF8', 2, 8], // after "note: é": columns count characters, not bytes
];

describe('hostile fixtures', () => {
  it.each(cases)('%s is refused with %s at %i:%i', (file, code, line, column) => {
    const loaded = loadYaml(file, fixture(file));
    expect(loaded.ok).toBe(false);
    expect(loaded.value).toBeUndefined();
    expect(loaded.diagnostics[0]).toMatchObject({ code, severity: 'error', location: { file, line, column } });
  });

  it('reports every tag, and both forbidden keys of a nested chain', () => {
    const tags = loadYaml('t.yaml', fixture('tag-directive.yaml')).diagnostics.map((d) => [d.code, d.location.line, d.location.column]);
    expect(tags).toEqual([
      ['YAML_DIRECTIVE', 1, 1],
      ['YAML_TAG', 3, 7],
    ]);
    const keys = loadYaml('p.yaml', fixture('proto-nested.yaml')).diagnostics.map((d) => [d.code, d.location.line, d.location.column]);
    expect(keys).toEqual([
      ['YAML_FORBIDDEN_KEY', 5, 7],
      ['YAML_FORBIDDEN_KEY', 6, 9],
    ]);
  });

  it('names the first place of a duplicate key in the message', () => {
    const [d] = loadYaml('d.yaml', fixture('duplicate-keys.yaml')).diagnostics;
    expect(d?.message).toBe('duplicate key "name" (first at line 1, column 1)');
  });

  it('explains why %YAML 1.1 is refused, and accepts %YAML 1.2 where on: stays a string key', () => {
    expect(loadYaml('a.yaml', fixture('yaml-1.1-on.yaml')).diagnostics[0]?.message).toMatch(/1\.1 reads on: and yes: as true/);
    const v12 = loadYaml('b.yaml', '%YAML 1.2\n---\non: yes\noff: no\n');
    expect(v12.ok).toBe(true);
    expect(v12.value).toEqual({ on: 'yes', off: 'no' });
  });

  it('refuses a billion laughs by counting, even with a generous alias limit', () => {
    // With 10,000 aliases allowed, the expansion arithmetic must still refuse it without
    // expanding 387 million strings (which would exhaust the test's time and memory).
    const loaded = loadYaml('bomb.yaml', fixture('billion-laughs.yaml'), { maxAliases: 10_000 });
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'YAML_ALIAS', location: { line: 7, column: 8 } }); // the first alias of f:
    expect(loaded.diagnostics[0]?.message).toMatch(/expand the document by more than/);
  });

  it('accepts a BOM at the start and reports columns after it', () => {
    expect(loadYaml('bom.yaml', fixture('utf8-bom.yaml'))).toMatchObject({ ok: true, value: { name: 'test' } });
    const bad = loadYaml('bom.yaml', new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0xc3]));
    expect(bad.diagnostics[0]).toMatchObject({ code: 'INVALID_UTF8', location: { line: 1, column: 4 } });
  });
});
