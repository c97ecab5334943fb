import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_YAML_LIMITS, loadYaml } from '../../engine/yaml/load.ts';
import { firstInvalidUtf8 } from '../../engine/yaml/text.ts';

const codesAt = (src: string | Uint8Array, limits = {}) =>
  loadYaml('f.yaml', src, limits).diagnostics.map((d) => `${d.code}@${d.location.line}:${d.location.column}`);

describe('loadYaml: values', () => {
  it('reads the YAML 1.2 core schema into plain data', () => {
    const loaded = loadYaml('v.yaml', 'a: 1\nb: [x, "y", 1.5, true, null, ~]\nc:\n  on: yes\n  n: 0x1F\n  o: 0o17\nd: |\n  two\n  lines\n');
    expect(loaded.ok).toBe(true);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.value).toEqual({ a: 1, b: ['x', 'y', 1.5, true, null, null], c: { on: 'yes', n: 31, o: 15 }, d: 'two\nlines\n' });
  });

  it('makes every key a string, keeping the text as written', () => {
    expect(loadYaml('k.yaml', '1: a\n1.0: b\ntrue: c\nnull: d\n').value).toEqual({ '1': 'a', '1.0': 'b', true: 'c', null: 'd' });
  });

  it('refuses keys that are equal once they are strings', () => {
    expect(codesAt('1: a\n"1": b\n')).toEqual(['YAML_DUPLICATE_KEY@2:1']);
    expect(codesAt('{ a: 1, a: 2 }\n')).toEqual(['YAML_DUPLICATE_KEY@1:9']);
  });

  it('gives ordinary objects that JSON and schema validators handle', () => {
    const value = loadYaml('o.yaml', 'a: { b: [1, { c: 2 }] }\n').value as { a: { b: [number, object] } };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.a.b[1])).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });

  it('never lets a forbidden key through, quoted or via an alias', () => {
    expect(codesAt('"__proto__": 1\n')).toEqual(['YAML_FORBIDDEN_KEY@1:1']);
    expect(codesAt('k: &k prototype\n*k : 1\n')).toEqual(['YAML_FORBIDDEN_KEY@2:1']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('reads an empty file, or one with only comments, as null', () => {
    expect(loadYaml('e.yaml', '')).toMatchObject({ ok: true, value: null });
    expect(loadYaml('e.yaml', '# nothing\n')).toMatchObject({ ok: true, value: null });
    expect(loadYaml('e.yaml', new Uint8Array())).toMatchObject({ ok: true, value: null });
  });

  it('expands a few aliases into copies, not shared objects', () => {
    const value = loadYaml('a.yaml', 'base: &b { x: 1 }\none: *b\ntwo: *b\n').value as Record<string, { x: number }>;
    expect(value).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
    expect(value.one).not.toBe(value.two);
  });

  it('treats << as an ordinary key (no merge keys)', () => {
    expect(loadYaml('m.yaml', 'a: &a { x: 1 }\nb: { <<: *a }\n').value).toEqual({ a: { x: 1 }, b: { '<<': { x: 1 } } });
  });
});

describe('loadYaml: limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_YAML_LIMITS).toEqual({ maxBytes: 1024 * 1024, maxAliases: 50, maxDepth: 64 });
  });

  it('refuses a 2 MiB file before parsing it, as bytes or as a string', () => {
    const big = `a: "${'x'.repeat(2 * 1024 * 1024)}"\n`;
    expect(codesAt(new TextEncoder().encode(big))).toEqual(['FILE_TOO_LARGE@1:1']);
    expect(codesAt(big)).toEqual(['FILE_TOO_LARGE@1:1']);
    expect(loadYaml('f.yaml', new TextEncoder().encode(big)).diagnostics[0]?.message).toBe(
      `file is ${big.length} bytes; the limit is 1048576 bytes`,
    );
  });

  it('counts bytes, not characters, for strings', () => {
    expect(codesAt('a: ééé\n', { maxBytes: 9 })).toEqual(['FILE_TOO_LARGE@1:1']);
    expect(codesAt('a: ééé\n', { maxBytes: 10 })).toEqual([]);
  });

  it('counts aliases against the limit', () => {
    const src = `a: &a 1\nb: [${Array(5).fill('*a').join(', ')}]\n`;
    expect(codesAt(src, { maxAliases: 5 })).toEqual([]);
    expect(codesAt(src, { maxAliases: 4 })).toEqual(['YAML_ALIAS@2:21']);
  });

  it('refuses 1000 levels of block nesting at the first level too deep', () => {
    const src = `${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} x\n`;
    expect(codesAt(src)).toEqual(['YAML_TOO_DEEP@65:65']);
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    const nest = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expect(codesAt(nest(64))).toEqual([]);
    expect(codesAt(nest(65))).toEqual(['YAML_TOO_DEEP@1:65']);
    expect(codesAt(nest(3), { maxDepth: 2 })).toEqual(['YAML_TOO_DEEP@1:3']);
  });

  it('counts depth added by aliases', () => {
    const src = 'a: &a [[[1]]]\nb: [[*a]]\n';
    expect(codesAt(src, { maxDepth: 6 })).toEqual([]);
    expect(codesAt(src, { maxDepth: 5 })).toEqual(['YAML_TOO_DEEP@2:6']); // at *a
  });

  it('counts depth of single-pair mappings inside flow lists', () => {
    expect(codesAt('[a: [b: [c: 1]]]\n', { maxDepth: 5 })).toEqual(['YAML_TOO_DEEP@1:10']);
  });
});

describe('loadYaml: text', () => {
  it('locates the first malformed UTF-8 sequence', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3]))).toEqual({ offset: 1, reason: 'starts a sequence cut short by the end of the file' });
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0x80]))?.reason).toBe('starts an overlong encoding');
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))?.reason).toBe('starts an encoded surrogate');
    expect(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))?.reason).toBe('starts a code point above U+10FFFF');
    expect(firstInvalidUtf8(new Uint8Array([0x80]))?.reason).toBe('is a continuation byte without a lead byte');
    expect(firstInvalidUtf8(new TextEncoder().encode('ok: é 😀 ✓'))).toBeNull();
  });

  it('refuses control characters, which the yaml lexer uses as markers', () => {
    expect(codesAt('a: b\x1fc\n')).toEqual(['YAML_SYNTAX@1:5']);
    expect(codesAt('a: 1\nb: \x00\n')).toEqual(['YAML_SYNTAX@2:4']);
    expect(codesAt('a: "tab\tand \\x07 escape"\n')).toEqual([]);
  });

  it('refuses lone surrogates in string input', () => {
    expect(codesAt('a: \ud800\n')).toEqual(['INVALID_UTF8@1:4']);
  });

  it('reports parser errors and parser warnings as errors', () => {
    expect(codesAt('a: [1, 2\n')).toContain('YAML_SYNTAX@2:1');
    expect(codesAt('a: b\n c: d\n').every((c) => c.startsWith('YAML_SYNTAX'))).toBe(true);
    const warned = loadYaml('w.yaml', 'a: *x:\n');
    expect(warned.ok).toBe(false);
    expect(warned.diagnostics.map((d) => d.code)).toContain('YAML_WARNING');
  });

  it('never throws and always locates, whatever the input', () => {
    const yamlish = fc.stringMatching(/^[-:?&*!%|>{}[\],#'" \n\tabc01@`~^<=.\\]{0,200}$/);
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), (input) => {
        const loaded = loadYaml('fuzz.yaml', input, { maxDepth: 8, maxAliases: 5 });
        expect(loaded.ok).toBe(!loaded.diagnostics.some((d) => d.severity === 'error'));
        for (const d of loaded.diagnostics) {
          expect(d.location.line).toBeGreaterThanOrEqual(1);
          expect(d.location.column).toBeGreaterThanOrEqual(1);
        }
        loaded.locate(['a', 0, 'b']);
        loaded.locateKey(['a']);
        loaded.locateScalarContent([0]);
      }),
      { seed: 20240601, numRuns: 400 },
    );
  });
});
