import { Type } from '@sinclair/typebox';
import { loadYaml } from '../../../engine/yaml/load.ts';
import { createSchemaCheck } from '../../../engine/schema-check/index.ts';
import { formatDiagnostic } from '../../../engine/diagnostics/diagnostic.ts';
import { Playbook } from '../../../schemas/playbook.ts';
const UseStep = Type.Object({ id: Type.String(), use: Type.String(), when: Type.Optional(Type.String()), with: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false });
const ParStep = Type.Object({ id: Type.String(), parallel: Type.Array(Type.Object({ id: Type.String() })) }, { additionalProperties: false });
const SwStep = Type.Object({ id: Type.String(), switch: Type.String(), cases: Type.Record(Type.String(), Type.String()) }, { additionalProperties: false });
const Doc = Type.Object({
  name: Type.String({ minLength: 1 }),
  mode: Type.Union([Type.Literal('pass'), Type.Literal('refuse')]),
  level: Type.Optional(Type.Integer({ minimum: 0 })),
  steps: Type.Array(Type.Union([UseStep, ParStep, SwStep], { title: 'Step' }), { minItems: 1 }),
}, { $id: 'test-doc', additionalProperties: false });
const check = createSchemaCheck(Doc);
const src = `name: x
mode: maybe
level: -1
nmae: y
steps:
  - id: a
    use: 5
  - id: b
    whenn: "x"
    use: y
  - id: c
    parallel: [{ id: 1 }]
  - id: d
  - 5
  - id: e
    switch: x
`;
const r = check(loadYaml('doc.yaml', src));
console.log(r.diagnostics.map(formatDiagnostic).join('\n'));
const pcheck = createSchemaCheck(Playbook);
const pb = `apiVersion: heal/v2
kind: Playbook
metadata: { name: x, version: 1.0.0 }
on:
  webhook: [5]
  when: [1]
steps:
  - id: a
    use: intent.run
    whenn: x
    parallel:
      - { id: b, use: 3, timeout: 5 }
`;
console.log(pcheck(loadYaml('pb.yaml', pb)).diagnostics.map(formatDiagnostic).join('\n'));
