/** Schema errors skip only their own part: the rest of the playbook is still checked, and nothing throws. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { loadYaml } from '../../engine/yaml/load.ts';
import { CAPS, ROOT } from '../run/harness.ts';

const supervisor = loadYaml('supervisor.yaml', readFileSync(join(ROOT, 'playbooks/supervisor.yaml'))).value;

type Path = (string | number)[];

/** Every path into a value (mappings and lists), for picking a place to break. */
function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function mutate(value: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return replacement;
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = replacement;
  return copy;
}

const allPaths = paths(supervisor);
const junk = fc.oneof(
  fc.constantFrom(null, true, 0, -1, '', 'x', '${', 'not and', '5 parsecs', [], {}, { x: 1 }, ['a', 1], { use: 'value' }, { id: 'end' }),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('a playbook broken in some parts', () => {
  it('never makes the loader throw, and never loads', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...allPaths.slice(1)), junk, fc.boolean()), { minLength: 1, maxLength: 3 }), (edits) => {
        let value: unknown = supervisor;
        for (const [path, replacement, remove] of edits) {
          try {
            value = mutate(value, path, replacement, remove);
          } catch {
            // an earlier edit removed the way to this path
          }
        }
        const text = stringify(value);
        const r = loadPlaybook('mutated.yaml', text, CAPS);
        for (const d of r.diagnostics) {
          expect(d.message).not.toMatch(/internal error|undefined|\[object Object\]/);
          expect(d.location.line).toBeGreaterThanOrEqual(1);
        }
        if (r.playbook === null) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a schema error in a nested step leaves its sibling and its parent checked', () => {
    const text = `apiVersion: heal/v1
kind: Playbook
metadata: { name: t, version: "1" }
on: { webhook: test }
steps:
  - id: context
    parallel:
      - { id: a, use: value, with: { x: 1 }, timout: 5s }
      - { id: b, use: value, with: { y: "\${a.x} \${nope}" } }
    next: a_step_that_is_missing
  - { id: last, use: value, with: { z: "\${a.x}" } }
`;
    const r = loadPlaybook('nested.yaml', text, CAPS);
    expect(r.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.code}`)).toEqual([
      '8:46 SCHEMA',
      '9:51 EXPR_UNKNOWN_NAME',
      '10:11 STEP_UNKNOWN_REF',
    ]);
  });
});
