/**
 * The one table of diagnostic codes. Codes are stable: CI scripts and editors match on them.
 * docs/diagnostics.md explains each one with an example and a fix.
 */
export const DIAGNOSTIC_CODES = {
  // Reading the file
  FILE_TOO_LARGE: 'the file is larger than the loader accepts',
  INVALID_UTF8: 'the file is not valid UTF-8',
  YAML_SYNTAX: 'the YAML does not parse',
  YAML_WARNING: 'the YAML parser warned; warnings are errors here',
  YAML_DIRECTIVE: 'a %YAML directive other than 1.2, or another directive',
  YAML_TAG: 'an explicit tag (such as !!js/function); tags are not accepted',
  YAML_DUPLICATE_KEY: 'a mapping has the same key twice',
  YAML_ALIAS: 'too many aliases, or an alias bomb',
  YAML_FORBIDDEN_KEY: 'a key such as __proto__ that could reach an object prototype',
  YAML_MULTI_DOCUMENT: 'more than one YAML document in a file',
  YAML_TOO_DEEP: 'mappings and lists nested deeper than the loader accepts',
  // Schema
  SCHEMA: 'the document does not match its JSON Schema',
  // Expressions
  EXPR_SYNTAX: 'an expression does not parse',
  EXPR_UNKNOWN_NAME: 'an expression refers to a name that does not exist here',
  EXPR_UNKNOWN_FIELD: 'an expression reads a field its value never has (event.lables: the event schema has labels)',
  EXPR_UNKNOWN_FUNCTION: 'an expression calls a function the language does not have',
  EXPR_TYPE: 'an expression mixes types in a way that can never be true',
  EXPR_OBJECT_IN_TEXT: 'a template puts an object or a list inside text, where it would render as [object Object]',
  EXPR_INVALID_LOGIC: 'a JSON Logic object uses an unknown operation',
  // Playbook structure
  PLAYBOOK_DUPLICATE_NAME: 'two playbooks have the same metadata.name',
  STEP_DUPLICATE_ID: 'two steps have the same id',
  STEP_ID_RESERVED: 'a step id that would hide a built-in name (event, vars, run, playbook, error, item, index)',
  FREE_TEXT_TARGET: "an intent's target or host, or a tool argument that names what is acted on, computed from free text: the event's message, labels or url, a ticket's text, or (for a tool) a model's answer",
  STEP_OUT_OF_LOOP: 'a step inside a for_each body read from outside the loop (its output exists only within each item)',
  STEP_UNKNOWN_REF: 'next:, a switch case or on_error: names a step that does not exist',
  STEP_UNKNOWN_KIND: 'use: names a step executor that does not exist',
  STEP_INVALID_INPUT: 'with: does not give the inputs the step executor needs, or a literal value its input schema refuses',
  GATE_UNKNOWN: 'a gate kind that does not exist',
  SCHEDULE_EVERY: 'a schedule every: that is not a positive interval (every: 0s)',
  SCHEDULE_CRON: 'a schedule cron: that does not parse (five to seven fields, values in range)',
  SCHEDULE_TIMEZONE: 'a schedule timezone: that is not an IANA time zone (or one given without cron:)',
  DECISION_NO_DEFAULT: 'a decision table without a default (else) row',
  DECISION_OUTPUTS: 'the rows of a decision table give different outputs (one value here, named outputs there, or other names)',
  DECISION_UNREACHABLE_ROW: 'a decision table row that can never match',
  DECISION_UNKNOWN_OUTCOME: 'a switch routes on a decision value that its table never produces',
  INTENT_UNKNOWN: 'a step names an intent that is not in the catalog',
  PROMPT_UNKNOWN: 'a step names a prompt template that does not exist',
  APPROVAL_MISSING: 'warning: an intent that requires approval can be reached without an approval.request for it',
  // Intent catalog
  CATALOG_TARGET_GRAMMAR: 'a catalog target breaks the strict target grammar',
  CATALOG_TARGET_BLOCKED: 'a catalog target contains a blocked pattern',
  CATALOG_UNKNOWN_SET: 'an intent names a target set that targets.yaml does not define',
  CATALOG_TEMPLATE: 'a command template is malformed',
  // Tool catalog and tool.call
  TOOL_CATALOG_ARGS: 'a tool\'s args in tools/catalog.yaml is not a JSON Schema ajv compiles',
  TOOL_CATALOG_SECRET: 'a tool\'s secret: names a field that is not one of its arguments',
  TOOL_CATALOG_LEVEL: 'a read-only tool that is not L1',
  TOOL_UNKNOWN: 'a tool.call step names a tool that is not in tools/catalog.yaml',
  TOOL_INVALID_ARGS: 'a tool.call step gives literal args its tool\'s schema refuses',
  TOOL_READ_ONLY: 'a tool.call step says read_only: and it contradicts the tool catalog',
  // Test cases
  TEST_UNKNOWN_PLAYBOOK: 'a test case names a playbook that does not exist',
  TEST_UNKNOWN_STEP: 'a test case expects a path through a step the playbook does not have',
  // Documents
  DOCUMENT_SKIPPED: 'a YAML file that is not a heal document (note: lint skipped it)',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
