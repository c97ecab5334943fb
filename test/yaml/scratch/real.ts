import { readFileSync, readdirSync } from 'node:fs';
import { loadYaml } from '../../../engine/yaml/load.ts';
import { createSchemaCheck } from '../../../engine/schema-check/index.ts';
import { formatDiagnostic } from '../../../engine/diagnostics/diagnostic.ts';
import { Playbook } from '../../../schemas/playbook.ts';
const check = createSchemaCheck(Playbook);
for (const f of readdirSync('playbooks').filter((f) => f.endsWith('.yaml'))) {
  const l = loadYaml(f, readFileSync('playbooks/' + f));
  const r = check(l);
  console.log(f, l.ok, r.ok, r.diagnostics.map(formatDiagnostic));
}
for (const f of readdirSync('intents').filter((f) => f.endsWith('.yaml'))) {
  const l = loadYaml(f, readFileSync('intents/' + f));
  console.log(f, l.ok, l.diagnostics.map(formatDiagnostic));
}
