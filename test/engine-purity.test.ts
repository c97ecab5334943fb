import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * engine/ is the pure interpreter: it reaches the world only through ports (DESIGN section 3,
 * STYLE principle 8). An allowlist, not a denylist: an engine file may import other engine files,
 * the schemas (pure TypeBox), and the pure libraries named here; nothing else, not even a Node
 * built-in. It may not read the clock, randomness, timers or the process either.
 */
const PURE_LIBRARIES = [
  '@sinclair/typebox',
  'ajv/dist/2020.js',
  'ajv-formats',
  'chevrotain',
  'croner',
  'json-logic-js',
  're2js',
  'yaml',
  '@noble/hashes/sha2.js',
  '@noble/hashes/utils.js',
];
/** Where the pure code lives; schemas/generate.ts writes files and is not imported by the engine. */
const PURE_DIRS = ['engine', 'schemas'];
const NOT_PURE = ['schemas/generate.ts'];

/** Globals that read the world: the clock, randomness, timers, the process, the network. */
const IMPURE_GLOBALS: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew Date\s*\(\s*\)/, 'new Date() (the current time)'],
  [/\bperformance\s*\.\s*now\b/, 'performance.now'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\b(?:setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\s*\(/, 'a timer'],
  [/\bcrypto\s*\./, 'crypto'],
  [/\bprocess\s*[.[]/, 'process'],
  [/\bfetch\s*\(/, 'fetch'],
  [/\brequire\s*\(/, 'require'],
  [/\bimport\s*\(/, 'a dynamic import()'],
  [/\bimport\.meta\b/, 'import.meta'],
  [/\bglobalThis\b/, 'globalThis'],
];

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier in a file: static imports and re-exports, side-effect imports. */
function imports(text: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2])!);
  return found;
}

/** Comments and string contents are not code: `// see Date.now()` must not count. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
}

function refusals(file: string, text: string): string[] {
  const out: string[] = [];
  for (const spec of imports(text)) {
    if (spec.startsWith('.')) {
      const target = relative(root, resolve(dirname(file), spec));
      const inside = PURE_DIRS.some((d) => target.startsWith(`${d}/`)) && !NOT_PURE.includes(target);
      if (!inside) out.push(`imports ${spec} (outside ${PURE_DIRS.join('/, ')}/)`);
    } else if (!PURE_LIBRARIES.includes(spec)) {
      out.push(`imports ${spec} (not a named pure library)`);
    }
  }
  const body = code(text);
  for (const [re, what] of IMPURE_GLOBALS) if (re.test(body)) out.push(`uses ${what}`);
  return out;
}

describe('engine/ is pure', () => {
  const files = PURE_DIRS.flatMap((d) => sources(join(root, d))).filter((f) => !NOT_PURE.includes(relative(root, f)));

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files.map((f) => [relative(root, f)]))('%s', (file) => {
    expect(refusals(join(root, file), readFileSync(join(root, file), 'utf8'))).toEqual([]);
  });

  it('the run loop sits on top: nothing else in engine/ imports engine/run/ (gates and steps do not reach back up)', () => {
    const run = join(root, 'engine/run');
    const upward = files
      .filter((f) => !f.startsWith(`${run}/`))
      .flatMap((f) => imports(readFileSync(f, 'utf8')).filter((spec) => spec.startsWith('.') && resolve(dirname(f), spec).startsWith(`${run}/`)).map((spec) => `${relative(root, f)} imports ${spec}`));
    expect(upward).toEqual([]);
  });

  it('the checker refuses what the old denylist let through', () => {
    const at = join(root, 'engine/x/y.ts');
    const sample = [
      "import { createRequire } from 'node:module';",
      "import { pathToFileURL } from 'node:url';",
      "import { createHash } from 'node:crypto';",
      "import { x } from '../../runtime/http/app.ts';",
      "import lodash from 'lodash';",
      "const api = await import('chevrotain');",
      'const t = Date.now() + performance.now() + Math.random();',
      'setTimeout(() => {}, 1); const id = crypto.randomUUID(); const d = new Date();',
    ].join('\n');
    expect(refusals(at, sample)).toEqual([
      'imports node:module (not a named pure library)',
      'imports node:url (not a named pure library)',
      'imports node:crypto (not a named pure library)',
      'imports ../../runtime/http/app.ts (outside engine/, schemas/)',
      'imports lodash (not a named pure library)',
      'uses Date.now()',
      'uses new Date() (the current time)',
      'uses performance.now',
      'uses Math.random',
      'uses a timer',
      'uses crypto',
      'uses a dynamic import()',
    ]);
  });

  it('accepts what the engine may do', () => {
    const at = join(root, 'engine/x/y.ts');
    const ok = "import { Type } from '@sinclair/typebox';\nimport { a } from '../expr/index.ts';\nimport type { E } from '../../schemas/event.ts';\n// Date.now() is read through the Clock port\nconst d = new Date(ms).toISOString(); const s = 'process.exit';";
    expect(refusals(at, ok)).toEqual([]);
  });
});
