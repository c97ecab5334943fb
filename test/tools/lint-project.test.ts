import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { lintProject } from '../../runtime/project/lint.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { ROOT } from '../run/harness.ts';

describe('engine lint and tools/catalog.yaml', () => {
  it('the shipped tool catalog lints clean, as a tool catalog (not an intent catalog)', () => {
    const report = lintProject([join(ROOT, 'tools')], { root: ROOT });
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.catalogFiles.map((f) => f.replace(/\\/g, '/'))).toEqual([expect.stringMatching(/tools\/catalog\.yaml$/)]);
  });

  it('a project loads its tool catalog: playbooks are checked against it, its errors are located', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-tools-'));
    try {
      mkdirSync(join(dir, 'tools'));
      mkdirSync(join(dir, 'playbooks'));
      writeFileSync(join(dir, 'tools', 'catalog.yaml'), 'ping:\n  description: Pings.\n  server: mcp\n  level: L1\n  read_only: true\n  idempotent: true\n  timeout_seconds: 5\n  args: { type: object }\n');
      writeFileSync(
        join(dir, 'playbooks', 'p.yaml'),
        'apiVersion: heal/v1\nkind: Playbook\nmetadata: { name: p, version: "1" }\non: { webhook: test }\nsteps:\n  - { id: a, use: tool.call, with: { name: ping } }\n  - { id: b, use: tool.call, with: { name: pong } }\n',
      );
      const project = loadProject([join(dir, 'playbooks')], { root: dir });
      expect(Object.keys(project.tools)).toEqual(['ping']);
      const tools = (d: { code: string }) => d.code.startsWith('TOOL_');
      expect(project.diagnostics.filter(tools).map((d) => `${d.code} ${d.location.line}:${d.location.column} ${d.message}`)).toEqual([
        'TOOL_UNKNOWN 7:44 tool "pong" is not in the tool catalog',
      ]);

      writeFileSync(join(dir, 'tools', 'catalog.yaml'), 'ping:\n  description: Pings.\n  server: mcp\n  level: L2\n  read_only: true\n  idempotent: true\n  timeout_seconds: 5\n  args: { type: object }\n');
      const broken = lintProject([join(dir, 'playbooks'), join(dir, 'tools')], { root: dir });
      expect(broken.diagnostics.filter((d) => d.code === 'TOOL_CATALOG_LEVEL').map(formatDiagnostic)).toEqual([
        expect.stringMatching(/tools[\\/]catalog\.yaml:4:10: TOOL_CATALOG_LEVEL: tool ping is read-only but L2/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a project without tools/catalog.yaml has an empty tool catalog', () => {
    const project = loadProject([], { root: join(ROOT, 'test', 'fixtures', 'catalog') });
    expect(Object.keys(project.tools)).toEqual([]);
  });
});
