import { Diagnosis, Validation, Consensus } from './ailcp.ts';
import { NormalizedEvent } from './event.ts';
import { IntentCatalog } from './intent-catalog.ts';
import { Playbook } from './playbook.ts';
import { PlaybookTests } from './playbook-test.ts';
import { TargetSets } from './target-sets.ts';
import { ToolCatalog } from './tool-catalog.ts';

/** Every published schema and the JSON file editors point at (`# yaml-language-server: $schema=`). */
export const PUBLISHED_SCHEMAS: readonly { file: string; schema: object }[] = [
  { file: 'playbook.schema.json', schema: Playbook },
  { file: 'playbook-test.schema.json', schema: PlaybookTests },
  { file: 'intent-catalog.schema.json', schema: IntentCatalog },
  { file: 'target-sets.schema.json', schema: TargetSets },
  { file: 'tool-catalog.schema.json', schema: ToolCatalog },
  { file: 'event.schema.json', schema: NormalizedEvent },
  { file: 'ailcp-diagnosis.schema.json', schema: Diagnosis },
  { file: 'ailcp-validation.schema.json', schema: Validation },
  { file: 'ailcp-consensus.schema.json', schema: Consensus },
];

/** The JSON text of a schema as published: TypeBox's symbols dropped, stable key order. */
export function schemaJson(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
