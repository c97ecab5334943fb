import { Type, type Static } from '@sinclair/typebox';

/** Expectations of one case; only what is given is checked. */
const Expect = Type.Object(
  {
    gates: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('pass'), Type.Literal('refuse')]))),
    path: Type.Optional(Type.Array(Type.String())),
    decision: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    commands: Type.Optional(Type.Array(Type.String(), { description: 'Commands that reached a host, in order.' })),
    not_run: Type.Optional(Type.Array(Type.String(), { description: 'Commands rendered but not run (shadow mode, no adapter, cooling down), in order.' })),
    executed: Type.Optional(Type.Array(Type.String(), { description: 'Commands the Shell port really received.' })),
    outcome: Type.Optional(Type.String()),
    refusals: Type.Optional(Type.Array(Type.String(), { description: 'Refusal codes, in order.' })),
    notified: Type.Optional(Type.Array(Type.String(), { description: 'Notification channels, in order.' })),
    matched: Type.Optional(Type.Boolean({ description: 'false: no playbook may fire for this event.' })),
    tool_calls: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), args: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }), {
        description: 'Tools the run called, in order, with their arguments when given (each given argument must be equal; null: absent or null).',
      }),
    ),
    state: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'State keys after the run and their values (null: absent).' })),
    logs: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.Record(Type.String(), Type.Unknown())), {
        description: 'Records the run appended to each named log (log.append), in order; each compared exactly.',
      }),
    ),
    ttls: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String({ pattern: '^([0-9]+(d|h|m|s|ms))+$' }), Type.Null()]), {
        description: 'The time each state key has left to live just after the run, as a duration (60s, 5m, 24h); null: absent or without a TTL.',
      }),
    ),
    outputs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Step outputs by step id (the last time each ran).' })),
    notifications: Type.Optional(
      Type.Array(
        Type.Object(
          { channel: Type.String(), subject: Type.Optional(Type.String()), body: Type.Optional(Type.String()), to: Type.Optional(Type.Array(Type.String())) },
          { additionalProperties: false },
        ),
        { description: 'Notifications sent, in order; subject, body and to are checked when given (exactly).' },
      ),
    ),
  },
  { additionalProperties: false },
);

const Fixtures = {
  now: Type.Optional(Type.String({ format: 'date-time' })),
  source: Type.Optional(Type.String({ description: 'Normalize `event` as a body from this source.' })),
  event: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  llm: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  memory: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  tools: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  shell: Type.Optional(Type.Unknown()),
  http: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'HTTP answers by `METHOD URL`: {status, body}, a list (one per call), or {error}.' })),
  state: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'State keys set before the run.' })),
  shadow: Type.Optional(Type.Boolean()),
  approvals: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object(
        {
          decision: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('expire')]),
          by: Type.Optional(Type.String({ minLength: 1 })),
          reason: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      { description: 'People\'s decision at each approval.request step, by step id (every item of a loop alike) or by address (`tickets[1].ask`: one item); a step not listed leaves the run waiting.' },
    ),
  ),
};

const Case = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    trigger: Type.Optional(Type.Literal('schedule', { description: 'Run the playbook as its schedule fires at now: (no event).' })),
    ...Fixtures,
    before: Type.Optional(
      Type.Array(
        Type.Object(
          {
            at: Type.String({ format: 'date-time' }),
            event: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            trigger: Type.Optional(Type.Literal('schedule', { description: 'An earlier tick of the schedule instead of an event.' })),
          },
          { additionalProperties: false },
        ),
        {
          description:
            'Earlier inputs run first, in order, in the same world (state, tool and HTTP scripts, clock): events (for dedup and rate limits) or schedule ticks, so one case can show a sequence (GLPI down at one tick, back at the next).',
        },
      ),
    ),
    expect: Expect,
  },
  { additionalProperties: false },
);

export const PlaybookTests = Type.Object(
  {
    playbook: Type.String({ minLength: 1 }),
    defaults: Type.Optional(Type.Object(Fixtures, { additionalProperties: false })),
    cases: Type.Array(Case, { minItems: 1 }),
  },
  { $id: 'playbook-test', $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Playbook test cases', additionalProperties: false },
);

export type PlaybookTestsDocument = Static<typeof PlaybookTests>;
export type PlaybookTestCase = Static<typeof Case>;
