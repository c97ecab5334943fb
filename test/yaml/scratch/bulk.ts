import { loadYaml } from '../../../engine/yaml/load.ts';
import { createSchemaCheck } from '../../../engine/schema-check/index.ts';
import { Playbook } from '../../../schemas/playbook.ts';
const check = createSchemaCheck(Playbook);
function gen(i: number): string {
  const steps = [];
  for (let s = 0; s < 10; s++) steps.push(`  - id: step_${s}
    when: event.status == "down" and event.service != "x${s}"
    use: intent.run
    with:
      intent: restart_service
      target: "\${event.service}"
      host: "\${event.host}"`);
  return `apiVersion: heal/v1
kind: Playbook
metadata: { name: pb-${i}, version: 1.0.${i}, owner: ops }
on:
  webhook: uptime-kuma
  when: event.status == "down"
gates:
  - stale: { older_than: 5m }
  - dedup: { key: event.service, for: 20m }
  - rate: { key: event.service, max: 3, per: 1h }
steps:
${steps.join('\n')}
`;
}
const files = Array.from({ length: 1000 }, (_, i) => gen(i));
console.log('lines', files[0]!.split('\n').length);
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  let bad = 0;
  for (const [i, f] of files.entries()) { const l = loadYaml(`pb${i}.yaml`, f); const r = check(l); if (!r.ok) { bad++; if (bad < 2) console.log(r.diagnostics); } }
  console.log('total ms', (performance.now() - t0).toFixed(0), 'bad', bad);
}
