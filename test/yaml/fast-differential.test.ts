/**
 * The fast YAML path against the full one (the yaml library's lexer, parser and composer): where
 * the fast path reads a file, it must give the same value and the same file:line:column for
 * every path a later stage could ask about; everything else it leaves to the full loader.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readFastYaml } from '../../engine/yaml/fast/index.ts';
import { NON_STRING_START, resolveByTags, resolvePlain } from '../../engine/yaml/fast/scalars.ts';
import { DEFAULT_YAML_LIMITS, loadYaml, type LoadedYaml } from '../../engine/yaml/load.ts';

const ROOT = join(import.meta.dirname, '..', '..');

type Path = (string | number)[];

/** Every path into a value, a key that is not there beside each mapping's keys, and a path through each scalar. */
function probes(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...probes(v, [...at, i])));
    out.push([...at, value.length], [...at, 'x']);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...probes(v, [...at, k]));
    out.push([...at, 'no such key'], [...at, 'no such key', 0]);
  } else out.push([...at, 'inside'], [...at, 0]);
  return out;
}

/** Both loaders agree: same verdict, value, diagnostics and locations. Returns whether the fast path read it. */
function agree(file: string, text: string | Uint8Array): boolean {
  const auto = loadYaml(file, text);
  const full = loadYaml(file, text, {}, 'full');
  expect(auto.ok).toBe(full.ok);
  expect(auto.diagnostics).toEqual(full.diagnostics);
  expect(auto.value).toEqual(full.value);
  sameLocations(auto, full);
  const source = typeof text === 'string' ? text.replace(/^\uFEFF/, '') : new TextDecoder().decode(text);
  return full.ok && readFastYaml(file, source, DEFAULT_YAML_LIMITS) !== null;
}

function sameLocations(a: LoadedYaml, b: LoadedYaml): void {
  for (const p of probes(b.value)) {
    const where = JSON.stringify(p);
    expect({ where, at: a.locate(p) }).toEqual({ where, at: b.locate(p) });
    expect({ where, at: a.locateKey(p) }).toEqual({ where, at: b.locateKey(p) });
    expect({ where, at: a.locateScalarContent(p) }).toEqual({ where, at: b.locateScalarContent(p) });
  }
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(full).isDirectory() ? yamlFilesUnder(full) : /\.ya?ml$/.test(name) ? [full] : [];
  });
}

describe('fast YAML path: the repository', () => {
  const files = ['playbooks', 'intents', 'test'].flatMap((d) => yamlFilesUnder(join(ROOT, d))).map((f) => relative(ROOT, f));

  it.each(files)('%s reads the same both ways', (file) => {
    agree(file, readFileSync(join(ROOT, file)));
  });

  it('reads the shipped playbook, its tests and the catalog itself (the fast path is the one used)', () => {
    for (const file of ['playbooks/supervisor.yaml', 'playbooks/tests/supervisor.yaml', 'intents/catalog.yaml', 'intents/targets.yaml']) {
      expect({ file, fast: agree(file, readFileSync(join(ROOT, file))) }).toEqual({ file, fast: true });
    }
  });
});

describe('fast YAML path: written cases', () => {
  const CASES: Record<string, string> = {
    'scalars of the core schema': 'a: 1\nb: -2\nc: 0o17\nd: 0x1F\ne: 1.50\nf: .5\ng: 1e3\nh: .inf\ni: -.Inf\nj: .nan\nk: ~\nl: null\nm: Null\nn: true\no: False\np: yes\nq: on\nr: 2026-11-21T23:03:39.623Z\ns: 1_000\nt: +7\nu: "1"\nv: \'x\'\n',
    'keys are the text as written': '1: a\n1.0: b\ntrue: c\n~: d\n"quoted key": e\n\'single\': f\nwith-dash: g\nwith.dot: h\n',
    'quoted strings and escapes': 'a: "tab\\tnew\\nline \\"q\\" \\\\ \\u00e9 \\x41 \\/"\nb: \'it\'\'s\'\nc: "# not a comment"\nd: "a: b"\ne: ""\nf: \'\'\n',
    'comments everywhere': '# head\na: 1 # one\n\n  # indented comment\nb:   # value below\n  c: 2\n# tail\n',
    'a leading document marker': '---\na: 1\n',
    'a marker with a comment': '--- # doc\na: [1, 2]\n',
    'block sequences at the key indentation and indented': 'a:\n- 1\n- 2\nb:\n  - x\n  - y: 1\n    z: 2\n  -   w: 3\n',
    'compact nested sequences': '- - a\n  - b\n- - c\n',
    'flow collections': 'a: { b: 1, c: [x, "y", \'z\'], d: {} , e: [] }\nf: [ { g: h }, [1, [2]] ]\n',
    'literal and folded block scalars': 'a: |\n  one\n  two\n\n  four\nb: |-\n  x\nc: |+\n  y\n\nd: >\n  folded\n  text\n\n  para\ne: >-\n  z\nf: ok\n',
    'a block scalar with a comment and # inside': 'a: | # note\n  # not a comment\n  text\n',
    'anchors and aliases': 'base: &b { x: 1, y: [1, 2] }\none: *b\nlist:\n  - &s hello\n  - *s\nmap: &m\n  k: v\ncopy: *m\n',
    'plain scalars with inner punctuation': 'a: http://x.org/a?b=c#frag\nb: key:value\nc: a - b\nd: -dash\ne: 50%\nf: a#b\ng: x, y\n',
    'deep nesting in a sequence of mappings': 'steps:\n  - id: a\n    parallel:\n      - id: b\n        with: { k: v }\n      - id: c\n        steps:\n          - { id: d }\n',
    'unicode': 'name: "élan 🚀"\nplain: ünïcode\n',
    'empty document': '# only a comment\n',
    'a root sequence': '- 1\n- two\n',
    'a root scalar': 'just text\n',
    'only a document marker': '---\n',
    'a marker, then only comments': '--- \n# c\n',
    'nothing at all': '',
    'folded lines with trailing spaces': 'a: >\n  one  \n  two \n\n  three\n',
    'kept trailing blank lines before a comment': 'a: |+\n  x\n\n\n# c\nb: 1\n',
    'blank lines with fewer spaces in a literal': 'a: |\n    x\n  \n    y\n',
    'more indented lines in a literal': 'a: |\n  x\n    y\n  z\n',
    'more indented lines in a folded scalar': 'a: >\n  x\n    y\n  z\n',
    'anchored sequence at the key indentation': 'a: &x\n- 1\n- 2\nb: *x\n',
    'aliases in flow collections': 'a: &a 1\nb: [*a, *a, { c: *a }]\n',
    'anchors in flow collections': 'a: [&a x, *a]\nb: { k: &m { z: 1 }, j: *m }\n',
    'numbers with leading zeros and big ints': 'a: 007\nb: 12345678901234567890\nc: 0.0.1\nd: -0\ne: 1.\n',
    'a long line of flow': `a: [${Array.from({ length: 200 }, (_, i) => `v${i}`).join(', ')}]\n`,
    'keys with unicode and spaces inside': 'clé: 1\n"a  b": 2\nx y: 3\n',
    'a sequence of sequences and mappings mixed': '- [1, 2]\n- { a: b }\n- - x\n  - y\n- k: v\n',
    'a comment right after a flow collection': 'a: [1, 2] # c\nb: { c: d }# tight\n',
    'a quoted scalar then a comment without space': 'a: "x"# c\n',
    // The fast path leaves these to the full loader; both loaders still agree because only one reads them.
    'multi-line plain scalar': 'a: one\n  two\n',
    'empty value': 'a:\nb: 1\n',
    'tabs': 'a:\t1\n',
    'CRLF': 'a: 1\r\nb: 2\r\n',
    'explicit key': '? a\n: b\n',
    'duplicate key': 'a: 1\na: 2\n',
    'proto key': '__proto__: 1\n',
    'tag': 'a: !!str 1\n',
    'multi-line flow': 'a: { b: 1,\n  c: 2 }\n',
    'multi-line quoted': 'a: "one\n  two"\n',
    'second document': 'a: 1\n---\nb: 2\n',
    'directive': '%YAML 1.2\n---\na: 1\n',
    'alias before anchor': 'a: *x\nb: &x 1\n',
    'block scalar with indentation indicator': 'a: |2\n   x\n',
    'trailing comma in flow': 'a: [1, 2, ]\n',
    'bad indentation': 'a:\n  b: 1\n c: 2\n',
    'unclosed quote': 'a: "x\n',
    'no newline at end': 'a: |\n  x',
    'a key without space after the colon': 'a:b: c\n',
    'too deep': `${'['.repeat(70)}${']'.repeat(70)}\n`,
  };

  it.each(Object.entries(CASES))('%s', (_name, text) => {
    agree('case.yaml', text);
  });

  it('takes the fast path for what playbooks are written in', () => {
    const fast = Object.entries(CASES).filter(([, text]) => readFastYaml('case.yaml', text, DEFAULT_YAML_LIMITS) !== null).map(([name]) => name);
    expect(fast).toEqual(expect.arrayContaining(['scalars of the core schema', 'quoted strings and escapes', 'anchors and aliases', 'literal and folded block scalars', 'flow collections', 'block sequences at the key indentation and indented']));
  });
});

describe('fast YAML path: generated documents', () => {
  const key = fc.oneof(fc.constantFrom('id', 'use', 'with', 'when', 'a b', '1', 'true', 'null', '~', 'é', 'k:v', '-x', '#k'), fc.string({ maxLength: 8 }));
  const scalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('', ' lead', 'trail ', 'a: b', 'a #b', '#c', '- x', '${event.host}', 'yes', '0o17', '0x1F', '1e3', '.5', 'null', 'True', '"q"', "'s'", 'multi\nline', 'tab\there', '\u00e9\u{1F680}'),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  })).node;
  const options = fc.record({
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    flowLevel: fc.constantFrom(-1, 1, 2),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
    defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
  });

  it('agree on value and every location, and most take the fast path', () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(value, options, fc.boolean(), (v, o, comments) => {
        let text = stringify(v, { ...o, lineWidth: 0, minContentWidth: 0 } as never);
        if (comments) text = text.replace(/\n/g, (nl, i: number) => (i % 3 === 0 ? `${nl}# note\n` : nl));
        runs++;
        if (agree('gen.yaml', text)) fast++;
      }),
      { numRuns: 400 },
    );
    expect(fast / runs).toBeGreaterThan(0.3);
    console.log(`generated documents read by the fast path: ${fast} of ${runs}`);
  });

  it('on fragment soup, never reads a text differently from the full loader (nor one it refuses)', () => {
    const FRAGMENTS = ['\n', '\n  ', '\n    ', '\n- ', '\n  - ', 'key', 'k2', ': ', ':', '- ', '"q"', "'s'", '"a\\nb"', '# c', ' #c', '|', '|-', '>', '>+',
      '&a ', '*a', '[', ']', '{', '}', ', ', 'x', '1', '0o7', 'true', '~', ' ', '  ', '---', '...', '?', '!', '%', '@', '-', '\t', 'é'];
    let fast = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }), (parts) => {
        const text = `${parts.join('')}\n`;
        if (readFastYaml('soup.yaml', text, DEFAULT_YAML_LIMITS) === null) return;
        fast++;
        const full = loadYaml('soup.yaml', text, {}, 'full');
        expect({ text, ok: full.ok }).toEqual({ text, ok: true });
        agree('soup.yaml', text);
      }),
      { numRuns: 4000 },
    );
    console.log(`fragment soups read by the fast path: ${fast} of 4000`);
  });

  it('a plain scalar that cannot start a null, boolean or number is a string, as the tags say', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (s) => {
        expect(resolvePlain(s)).toBe(resolveByTags(s));
        if (!NON_STRING_START.has(s[0]!)) expect(resolveByTags(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
    for (const s of ['~', 'null', 'Null', 'NULL', 'true', 'False', '-1', '+1', '.5', '.inf', '-.Inf', '.nan', '0o17', '0x1F', '1e3', '12']) {
      expect(resolvePlain(s)).toBe(resolveByTags(s));
      expect(typeof resolveByTags(s)).not.toBe('string');
    }
  });
});
