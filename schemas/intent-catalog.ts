import { Type, type Static } from '@sinclair/typebox';

const SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** Intent names as the model writes them: `restart_service`, and the special `ESCALATE`. */
const INTENT_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';

/** Target set names in targets.yaml: `services`, `containers`. */
export const TARGET_SET_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';

const TargetSetName = Type.String({
  pattern: TARGET_SET_NAME_PATTERN,
  description: 'The name of a set in intents/targets.yaml.',
});

/**
 * The targets an intent accepts. Items are plain strings here on purpose: the loader checks
 * each one against the strict target grammar and the blocklist and reports the offending item
 * with its own code (CATALOG_TARGET_GRAMMAR, CATALOG_TARGET_BLOCKED), not a generic SCHEMA error.
 */
const IntentTargets = Type.Union(
  [
    Type.Array(Type.String(), {
      uniqueItems: true,
      description: 'The exact targets allowed (byte for byte), e.g. [nginx, postgresql].',
    }),
    Type.Object(
      { set: TargetSetName },
      { additionalProperties: false, description: 'A named set from intents/targets.yaml.' },
    ),
    Type.Literal('none', { description: 'The intent takes no target; its command has no {target}.' }),
  ],
  {
    description:
      'Allowed targets: a list, `{set: NAME}` or `none`. Each target must match ^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$ with no "..".',
  },
);

const IntentSpec = Type.Object(
  {
    description: Type.String({ minLength: 1, description: 'What the intent does, for people and for the prompt.' }),
    command: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'The argv template. `{target}` is the only placeholder and must be a whole element, e.g. ["systemctl", "restart", "--", "{target}"]. Absent only for ESCALATE.',
      }),
    ),
    targets: IntentTargets,
    risk: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')], {
      description: 'Risk level; gates and the fast track read it.',
    }),
    requires_approval: Type.Boolean({ description: 'A human must approve before it runs.' }),
    cooldown_seconds: Type.Integer({
      minimum: 0,
      description: 'Minimum time between two runs of this intent on the same target.',
    }),
    read_only: Type.Boolean({ description: 'Changes nothing: allowed in shadow mode and for context gathering.' }),
    accepted_exit_codes: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 255 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'Exit codes that count as success for an intent that changes the system (default [0]); any other fails its step, which takes on_error:. A read-only intent reports its exit code as data instead.',
      }),
    ),
    verify: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        description:
          'A read-only argv template (same rules as command) that exits 0 when the change took, e.g. ["systemctl", "is-active", "--", "{target}"]. Checked after a crash interrupted the command, so it is never run blindly twice.',
      }),
    ),
    timeout_seconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3600, description: 'Kill the command after this many seconds.' }),
    ),
  },
  { additionalProperties: false },
);

/** intents/catalog.yaml: intent name to its definition. */
export const IntentCatalog = Type.Record(Type.String({ pattern: INTENT_NAME_PATTERN }), IntentSpec, {
  $id: 'intent-catalog',
  $schema: SCHEMA_2020,
  title: 'Intent catalog',
  description: 'The only commands the engine may run, one entry per intent.',
  additionalProperties: false,
  minProperties: 1,
});

export type IntentCatalogDocument = Static<typeof IntentCatalog>;
export type IntentSpecDocument = Static<typeof IntentSpec>;
