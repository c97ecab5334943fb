import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// engine/ is the pure interpreter: it reaches the world only through ports (DESIGN section 3).
const FORBIDDEN = [
  'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls',
  'worker_threads', 'cluster', 'readline', 'os', 'process', 'vm', 'inspector', 'perf_hooks',
];
const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

function imports(text: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return found;
}

describe('engine/ imports no I/O module', () => {
  const files = sources(join(root, 'engine'));

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(root, f)]))('%s', (file) => {
    const bad = imports(readFileSync(join(root, file), 'utf8')).filter((spec) => {
      const bare = spec.replace(/^node:/, '');
      return FORBIDDEN.includes(bare) || FORBIDDEN.some((f) => bare.startsWith(`${f}/`)) || spec.includes('/runtime/') || spec.includes('/cli/');
    });
    expect(bad).toEqual([]);
  });

  it('no engine file touches process, timers or globals that do I/O', () => {
    const offenders = files.filter((f) => /\bprocess\.|\bsetTimeout\(|\bsetInterval\(|\bfetch\(|\bDate\.now\(/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('the detector sees a forbidden import', () => {
    expect(imports("import { readFileSync } from 'node:fs';\nimport x from \"child_process\";")).toEqual(['node:fs', 'child_process']);
  });
});
