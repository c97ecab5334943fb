import { Type, type Static } from '@sinclair/typebox';

const SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** Tool names as the MCP server exposes them: `glpi_create_ticket`, `ad_reset_password`. */
const TOOL_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,127}$';

/**
 * The JSON Schema (draft 2020-12) of a tool's arguments: always an object. `additionalProperties`
 * defaults to false (an argument the catalog does not name is refused); the loader compiles it
 * with ajv and reports a schema ajv refuses at `args`.
 */
const ToolArgs = Type.Object(
  {
    type: Type.Literal('object'),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Each argument and its JSON Schema.' })),
    required: Type.Optional(Type.Array(Type.String(), { uniqueItems: true, description: 'The arguments that must be given.' })),
    additionalProperties: Type.Optional(Type.Boolean({ description: 'Allow arguments not named in properties (default false).' })),
  },
  { additionalProperties: true, description: 'JSON Schema of the arguments: {type: object, properties, required}.' },
);

const ToolSpec = Type.Object(
  {
    description: Type.String({ minLength: 1, description: 'What the tool does, for people and for the prompt.' }),
    server: Type.String({ minLength: 1, description: 'The MCP server that serves the tool (a name, free text for now).' }),
    level: Type.Union([Type.Literal('L1'), Type.Literal('L2'), Type.Literal('L3')], {
      description:
        'Security level (seed 004, SAFEGUARD): L1 reads or only informs (search, status, a private followup, a notification); L2 a reversible change (unlock an account, create a ticket); L3 sensitive (reset a password, close a ticket): runs only with a human approval for that exact tool and arguments.',
    }),
    read_only: Type.Boolean({ description: 'Changes nothing: runs in shadow mode. Only an L1 tool can be read-only.' }),
    idempotent: Type.Boolean({ description: 'Calling it twice with the same arguments does what one call does: safe to retry.' }),
    timeout_seconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'How long a call may take.' }),
    args: ToolArgs,
    secret: Type.Optional(
      Type.Array(Type.String(), {
        uniqueItems: true,
        description: 'Argument fields whose values are secret (passwords): sealed in the journal, never shown in the trace.',
      }),
    ),
    text: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        description:
          "Argument fields meant to carry human text (a ticket's title and content, a message, a search query): alert text and model answers may flow into them. Every other argument names what is acted on, and lint warns when free text computes it (FREE_TEXT_TARGET).",
      }),
    ),
    secret_result: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        description: "Fields of the tool's result (an object) whose values are secret (a generated password): sealed in the journal, masked in the trace; the run's later steps read them.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** tools/catalog.yaml: tool name to its definition. */
export const ToolCatalog = Type.Record(Type.String({ pattern: TOOL_NAME_PATTERN }), ToolSpec, {
  $id: 'tool-catalog',
  $schema: SCHEMA_2020,
  title: 'Tool catalog',
  description: 'The only tools (MCP) a playbook may call through tool.call, with their security level and argument schema.',
  additionalProperties: false,
});

export type ToolCatalogDocument = Static<typeof ToolCatalog>;
export type ToolSpecDocument = Static<typeof ToolSpec>;
