import { Type, type Static } from '@sinclair/typebox';

const SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** An expression (a string in the expression language), a literal, or a JSON Logic object. */
const Expression = Type.Union(
  [Type.String({ minLength: 1 }), Type.Number(), Type.Boolean(), Type.Object({}, { additionalProperties: true })],
  { description: 'An expression such as `event.status == "down"`, or a JSON Logic object.' },
);

const Duration = Type.String({
  pattern: '^([0-9]+(ms|s|m|h|d))+$',
  description: 'A duration such as 30s, 20m, 1h or 1h30m.',
});

const StepId = Type.String({
  pattern: '^[a-z_][a-z0-9_]{0,63}$',
  description: 'Step id: lower case, digits and underscores; other steps refer to its output by this name.',
});

const Jump = Type.String({ pattern: '^[a-z_][a-z0-9_]{0,63}$', description: 'A step id, or `end`.' });

const ItemErrorPolicy = Type.Union([Type.Literal('fail'), Type.Literal('continue')], {
  description: 'fail (default): one failed item or branch fails the step; continue: its error is collected in its result and the others go on.',
});

/** What a row decides: one value, or several named outputs (`{ responsibility: local, confidence: 90 }`). */
const DecisionOutcome = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Record(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,63}$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    minProperties: 1,
    description: 'Several named outputs; every row of the table names the same ones.',
  }),
]);

const DecisionRow = Type.Object(
  {
    when: Type.Optional(Expression),
    then: Type.Optional(DecisionOutcome),
    else: Type.Optional(Type.Union([DecisionOutcome], { description: 'The default row: required, and last.' })),
  },
  { additionalProperties: false },
);

const Step = Type.Recursive(
  (This) =>
    Type.Object(
      {
        id: StepId,
        description: Type.Optional(Type.String()),
        when: Type.Optional(Expression),
        timeout: Type.Optional(Duration),
        on_error: Type.Optional(Jump),
        on_timeout: Type.Optional(
          Type.String({ pattern: '^[a-z_][a-z0-9_]{0,63}$', description: 'Where a step goes when it times out or its approval expires (default: on_error:).' }),
        ),
        next: Type.Optional(Jump),
        use: Type.Optional(Type.String({ minLength: 1, description: 'A step executor, such as intent.run.' })),
        with: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        parallel: Type.Optional(Type.Array(This, { minItems: 1 })),
        for_each: Type.Optional(Expression),
        as: Type.Optional(StepId),
        steps: Type.Optional(
          Type.Array(This, { minItems: 1, description: 'The body of a for_each, or, without for_each:, a group: a sequence run as one step.' }),
        ),
        on_item_error: Type.Optional(ItemErrorPolicy),
        concurrency: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 50, description: 'for_each: how many items run at once (default 1: one after the other). Rows keep the items\' order.' }),
        ),
        on_branch_error: Type.Optional(ItemErrorPolicy),
        switch: Type.Optional(Expression),
        cases: Type.Optional(Type.Record(Type.String(), Jump)),
        default: Type.Optional(Jump),
        decide: Type.Optional(Type.Array(DecisionRow, { minItems: 1 })),
      },
      { additionalProperties: false },
    ),
  { $id: 'step' },
);

const KeyedWindow = { key: Expression, for: Duration };
const CooldownGate = { key: Expression, for: Type.Optional(Duration) };

const Gate = Type.Object(
  {
    stale: Type.Optional(Type.Object({ older_than: Duration }, { additionalProperties: false })),
    maintenance: Type.Optional(
      Type.Object(
        {
          windows: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  from: Type.String({ format: 'date-time' }),
                  to: Type.String({ format: 'date-time' }),
                  hosts: Type.Optional(Type.Array(Type.String())),
                  services: Type.Optional(Type.Array(Type.String())),
                  reason: Type.Optional(Type.String()),
                },
                { additionalProperties: false },
              ),
            ),
          ),
          key: Type.Optional(Expression),
          when: Type.Optional(Expression),
        },
        { additionalProperties: false },
      ),
    ),
    dedup: Type.Optional(Type.Object(KeyedWindow, { additionalProperties: false })),
    rate: Type.Optional(
      Type.Object(
        { key: Expression, max: Type.Integer({ minimum: 1 }), per: Duration, name: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    cooldown: Type.Optional(Type.Object(CooldownGate, { additionalProperties: false })),
    circuit: Type.Optional(
      Type.Object(
        {
          key: Type.String({ minLength: 1, description: 'State key holding the health of a dependency.' }),
          open_when: Type.Union([Type.String(), Type.Array(Type.String())], {
            description: 'Values of the key that open the breaker (the run is skipped).',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);

const Trigger = Type.Object(
  {
    webhook: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })])),
    schedule: Type.Optional(
      Type.Object(
        {
          every: Type.Optional(Duration),
          cron: Type.Optional(Type.String()),
          timezone: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    approval: Type.Optional(Type.Boolean()),
    when: Type.Optional(Expression),
  },
  { additionalProperties: false },
);

export const Playbook = Type.Object(
  {
    apiVersion: Type.Literal('heal/v1'),
    kind: Type.Literal('Playbook'),
    metadata: Type.Object(
      {
        name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
        version: Type.String({ minLength: 1 }),
        owner: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    on: Trigger,
    shadow: Type.Optional(Type.Boolean({ description: 'Run everything, execute nothing that changes a system.' })),
    vars: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Constants, read as vars.NAME.' })),
    gates: Type.Optional(Type.Array(Gate)),
    steps: Type.Array(Step, { minItems: 1 }),
    on_error: Type.Optional(Jump),
  },
  {
    $id: 'playbook',
    $schema: SCHEMA_2020,
    title: 'Playbook',
    additionalProperties: false,
  },
);

export type PlaybookDocument = Static<typeof Playbook>;
export type StepDocument = Static<typeof Step>;
export type GateDocument = Static<typeof Gate>;
export type DecisionRowDocument = Static<typeof DecisionRow>;
