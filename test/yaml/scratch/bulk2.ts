import { parseDocument, Parser, Composer, Lexer, LineCounter } from 'yaml';
import { loadYaml } from '../../../engine/yaml/load.ts';
import { readFileSync } from 'node:fs';
const src = `apiVersion: heal/v1
kind: Playbook
metadata: { name: pb-1, version: 1.0.1, owner: ops }
on:
  webhook: uptime-kuma
  when: event.status == "down"
steps:
` + Array.from({length: 10}, (_, s) => `  - id: step_${s}
    when: event.status == "down" and event.service != "x${s}"
    use: intent.run
    with:
      intent: restart_service
      target: "\${event.service}"
      host: "\${event.host}"`).join('\n') + '\n';
function time(name: string, f: () => void) { for (let r = 0; r < 2; r++) { const t0 = performance.now(); for (let i = 0; i < 1000; i++) f(); console.log(name, (performance.now() - t0).toFixed(0)); } }
time('lex', () => { for (const _ of new Lexer().lex(src)); });
time('parse', () => { for (const _ of new Parser().parse(src)); });
time('parseDocument', () => parseDocument(src));
time('parseDocument+toJS', () => parseDocument(src).toJS());
time('loadYaml', () => loadYaml('x', src));
time('loadYaml+locate', () => { const l = loadYaml('x', src); l.locate(['steps', 5, 'use']); });
