import { Type, type Static } from '@sinclair/typebox';
import { TARGET_SET_NAME_PATTERN } from './intent-catalog.ts';

const SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * intents/targets.yaml: named sets of targets that catalog intents refer to with `{set: NAME}`.
 * Items are plain strings here; the catalog loader checks each against the strict target
 * grammar and the blocklist and locates the offending item, so a poisoned file fails lint.
 */
export const TargetSets = Type.Record(
  Type.String({ pattern: TARGET_SET_NAME_PATTERN }),
  Type.Array(Type.String(), { uniqueItems: true, description: 'Exact target names, byte for byte.' }),
  {
    $id: 'target-sets',
    $schema: SCHEMA_2020,
    title: 'Target sets',
    description: 'Named sets of allowed targets, e.g. services: [nginx, php8.1-fpm, postgresql].',
    additionalProperties: false,
  },
);

export type TargetSetsDocument = Static<typeof TargetSets>;
