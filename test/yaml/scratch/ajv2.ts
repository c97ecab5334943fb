import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Playbook } from '../../../schemas/playbook.ts';
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
(((addFormatsModule as any).default ?? addFormatsModule) as any)(ajv);
const s = JSON.parse(JSON.stringify(Playbook));
try { ajv.addSchema(s); } catch (e) { console.log('add fail', (e as Error).message); }
for (const ref of ['playbook#/properties/on/properties/webhook/anyOf/0', 'step#/properties/when/anyOf/1', 'playbook#/properties/steps/items/properties/when/anyOf/1', 'playbook#/properties/vars/patternProperties/' + encodeURIComponent('^(.*)$')]) {
  try { const v = ajv.getSchema(ref); console.log(ref, !!v, JSON.stringify(v?.schema)?.slice(0, 80), v && v(5), v && v('x')); } catch (e) { console.log(ref, 'throws', (e as Error).message); }
}
const v = ajv.getSchema('playbook')!;
v({ apiVersion: 'heal/v1', kind: 'Playbook', metadata: { name: 'x', version: '1' }, on: { webhook: 5, when: [] }, steps: [{ id: 'a', when: [1], whenn: 2, parallel: [{ id: 'b', use: 5 }] }] });
for (const e of v.errors!) console.log(e.instancePath, e.schemaPath, e.keyword, JSON.stringify(e.params));
