import { readFileSync, readdirSync } from 'node:fs';
import { loadYaml } from '../../../engine/yaml/load.ts';
import { formatDiagnostic } from '../../../engine/diagnostics/diagnostic.ts';
const dir = 'test/fixtures/hostile';
for (const f of readdirSync(dir).sort()) {
  const r = loadYaml(f, readFileSync(`${dir}/${f}`));
  console.log(r.ok ? 'OK ' + JSON.stringify(r.value) : r.diagnostics.map(formatDiagnostic).join('\n   '));
}
