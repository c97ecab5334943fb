import { Type, type Static } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { createSchemaCheck } from '../../engine/schema-check/index.ts';
import { loadYaml } from '../../engine/yaml/load.ts';

const Duration = Type.String({ pattern: '^[0-9]+(s|m|h)$', description: 'A duration such as 30s or 5m.' });
const UseStep = Type.Object(
  { id: Type.String(), use: Type.String(), when: Type.Optional(Type.String()), with: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);
const ParallelStep = Type.Object(
  { id: Type.String(), parallel: Type.Array(Type.Object({ id: Type.String() }, { additionalProperties: false }), { minItems: 1 }) },
  { additionalProperties: false },
);
const SwitchStep = Type.Object(
  { id: Type.String(), switch: Type.String(), cases: Type.Record(Type.String(), Type.String()) },
  { additionalProperties: false },
);
const Notifier = Type.Object({ kind: Type.Literal('mail'), to: Type.String({ format: 'email' }) }, { $id: 'test-notifier', additionalProperties: false });

const Doc = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    mode: Type.Union([Type.Literal('pass'), Type.Literal('refuse')]),
    level: Type.Optional(Type.Integer({ minimum: 0 })),
    timeout: Type.Optional(Duration),
    notify: Type.Optional(Type.Union([Type.Ref('test-notifier'), Type.Object({ kind: Type.Literal('webhook'), url: Type.String() }, { additionalProperties: false })])),
    steps: Type.Array(Type.Union([UseStep, ParallelStep, SwitchStep], { title: 'Step' }), { minItems: 1 }),
  },
  { $id: 'test-doc', additionalProperties: false },
);
type DocValue = Static<typeof Doc>;

const check = createSchemaCheck<DocValue>(Doc, [Notifier]);
const run = (src: string) => check(loadYaml('doc.yaml', src));
const lines = (src: string) => run(src).diagnostics.map(formatDiagnostic);

describe('createSchemaCheck', () => {
  it('passes a valid document through, typed', () => {
    const r = run('name: demo\nmode: pass\nsteps:\n  - { id: a, use: intent.run, with: { x: 1 } }\n');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.diagnostics).toEqual([]);
      expect(r.value.steps[0]).toEqual({ id: 'a', use: 'intent.run', with: { x: 1 } });
    }
  });

  it('returns the loader diagnostics when the file did not load', () => {
    const loaded = loadYaml('doc.yaml', 'name: !!str x\n');
    expect(check(loaded)).toEqual({ ok: false, diagnostics: loaded.diagnostics });
  });

  it('points an unknown property at its key and suggests the closest allowed one', () => {
    expect(lines('name: demo\nmode: pass\nsteps:\n  - id: a\n    use: x\n    whenn: y\n')).toEqual([
      'doc.yaml:6:5: SCHEMA: steps[0]: unknown property "whenn" (did you mean "when"?)',
    ]);
    expect(lines('nmae: demo\nname: demo\nmode: pass\nsteps: [{ id: a, use: x }]\n')).toEqual([
      'doc.yaml:1:1: SCHEMA: unknown property "nmae" (did you mean "name"?)',
    ]);
  });

  it('lists the allowed properties when nothing is close', () => {
    const [d] = run('name: demo\nmode: pass\nsteps: [{ id: a, use: x }]\nzzzzzz: 1\n').diagnostics;
    expect(d).toMatchObject({ message: 'unknown property "zzzzzz"', hint: 'allowed here: name, mode, level, timeout, notify, steps', location: { line: 4, column: 1 } });
  });

  it('says what type was expected and what was found, at the value', () => {
    expect(lines('name: demo\nmode: pass\nsteps:\n  - id: a\n    use: 5\n')).toEqual(['doc.yaml:5:10: SCHEMA: steps[0].use: must be a string (got the number 5)']);
    expect(lines('name: [a]\nmode: pass\nsteps: [{ id: a, use: x }]\n')).toEqual(['doc.yaml:1:7: SCHEMA: name: must be a string (got a list)']);
  });

  it('reports a missing required property at the mapping that lacks it', () => {
    expect(lines('name: demo\nmode: pass\n')).toEqual(['doc.yaml:1:1: SCHEMA: missing required property "steps"']);
    expect(lines('name: demo\nmode: pass\nsteps:\n  - id: a\n    switch: x\n')).toEqual([
      'doc.yaml:4:5: SCHEMA: steps[0]: missing required property "cases"',
    ]);
  });

  it('lists the values of an enum-like union of literals', () => {
    expect(lines('name: demo\nmode: maybe\nsteps: [{ id: a, use: x }]\n')).toEqual(['doc.yaml:2:7: SCHEMA: mode: must be one of: pass, refuse']);
  });

  it('collapses a union of step forms to the branch the step names', () => {
    // the parallel branch is the one meant: only its nested error is told, not 9 branch errors
    expect(lines('name: demo\nmode: pass\nsteps:\n  - id: a\n    parallel: [{ id: 1 }]\n')).toEqual([
      'doc.yaml:5:22: SCHEMA: steps[0].parallel[0].id: must be a string (got the number 1)',
    ]);
  });

  it('says which forms a union accepts when no branch is close', () => {
    expect(lines('name: demo\nmode: pass\nsteps:\n  - id: a\n  - 5\n')).toEqual([
      'doc.yaml:4:5: SCHEMA: steps[0]: must be a step with one of: use:, parallel:, switch: and cases:',
      'doc.yaml:5:5: SCHEMA: steps[1]: must be a step with one of: use:, parallel:, switch: and cases: (got the number 5)',
    ]);
  });

  it('follows $ref branches and picks the branch by its discriminator', () => {
    expect(lines('name: demo\nmode: pass\nsteps: [{ id: a, use: x }]\nnotify: { kind: mail, to: nobody }\n')).toEqual([
      'doc.yaml:4:27: SCHEMA: notify.to: must be a valid email',
    ]);
    expect(lines('name: demo\nmode: pass\nsteps: [{ id: a, use: x }]\nnotify: { kind: webhook, url: 5 }\n')).toEqual([
      'doc.yaml:4:31: SCHEMA: notify.url: must be a string (got the number 5)',
    ]);
  });

  it('words limits for people and adds the schema description as a hint', () => {
    const r = run('name: ""\nmode: pass\nlevel: -1\ntimeout: soon\nsteps: []\n');
    expect(r.diagnostics.map((d) => [d.location.line, d.location.column, d.message, d.hint])).toEqual([
      [1, 7, 'name: must not be empty', undefined],
      [3, 8, 'level: must be >= 0', undefined],
      [4, 10, 'timeout: must match the pattern ^[0-9]+(s|m|h)$', 'A duration such as 30s or 5m.'],
      [5, 8, 'steps: must not be an empty list', undefined],
    ]);
  });

  it('sorts by location and reports every problem at once', () => {
    const r = run('steps:\n  - { id: a, use: 1 }\nmode: x\nextra: 1\n');
    expect(r.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.code}`)).toEqual([
      '1:1 SCHEMA', // missing name
      '2:19 SCHEMA',
      '3:7 SCHEMA',
      '4:1 SCHEMA',
    ]);
  });

  it('compiles once per schema object', () => {
    const again = createSchemaCheck<DocValue>(Doc, [Notifier]);
    expect(again(loadYaml('a.yaml', 'name: a\nmode: pass\nsteps: [{ id: a, use: x }]\n')).ok).toBe(true);
    expect(check(loadYaml('b.yaml', 'name: b\nmode: refuse\nsteps: [{ id: b, use: y }]\n')).ok).toBe(true);
  });

  it('accepts a schema without $id', () => {
    const plain = createSchemaCheck<{ n: number }>(Type.Object({ n: Type.Union([Type.Number(), Type.Null()]) }));
    expect(plain(loadYaml('p.yaml', 'n: 1\n')).ok).toBe(true);
    expect(plain(loadYaml('p.yaml', 'n: x\n')).diagnostics.map(formatDiagnostic)).toEqual([
      'p.yaml:1:4: SCHEMA: n: must be one of: a number, null (got a string)',
    ]);
  });
});

describe('createSchemaCheck on large or odd input', () => {
  it('shows the first hundred problems and counts the rest', () => {
    const src = `name: demo\nmode: pass\nsteps:\n${Array.from({ length: 150 }, (_, i) => `  - { id: s${i}, use: ${i} }`).join('\n')}\n`;
    const r = run(src);
    expect(r.diagnostics).toHaveLength(101);
    expect(r.diagnostics[100]?.message).toBe('50 more schema problems are not shown');
  });

  it('reports an invalid property name once, at its key', () => {
    const Named = createSchemaCheck({
      type: 'object',
      properties: { vars: { type: 'object', propertyNames: { type: 'string', pattern: '^[a-z]+$' } } },
    });
    expect(Named(loadYaml('n.yaml', 'vars:\n  ok: 1\n  Bad: 2\n')).diagnostics.map(formatDiagnostic)).toEqual([
      'n.yaml:3:3: SCHEMA: vars: property name "Bad" is not allowed',
    ]);
  });
});
