import type { SourceLocation } from '../diagnostics/diagnostic.ts';

/** Security levels (seed 004): L1 reads or only informs, L2 a reversible change, L3 sensitive (a human approves). */
type ToolLevel = 'L1' | 'L2' | 'L3';

/** One tool after loading: its argument schema compiled, frozen. */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** The MCP server that serves it (free text for now). */
  readonly server: string;
  readonly level: ToolLevel;
  /** From the catalog only: a playbook cannot call a write tool read-only. */
  readonly readOnly: boolean;
  readonly idempotent: boolean;
  readonly timeoutSeconds: number;
  /** The JSON Schema of the arguments as loaded (additionalProperties defaulted to false). */
  readonly argsSchema: Readonly<Record<string, unknown>>;
  /** Argument fields whose values are secret (passwords), in catalog order. */
  readonly secretArgs: readonly string[];
  /** Argument fields meant for human text (a ticket's content): free text may flow into them. */
  readonly textArgs: readonly string[];
  /** Fields of the result whose values are secret (a password the tool generated). */
  readonly secretResult: readonly string[];
  /** Null when `args` fits the schema, else the problems, each with its ajv path ("/user: must be string"). */
  checkArgs(args: unknown): string | null;
  /** Where the tool is defined in tools/catalog.yaml. */
  readonly location: SourceLocation;
}

/** The frozen catalog: tool name to definition (null prototype; look names up with `lookupTool`). */
export type ToolCatalog = Readonly<Record<string, ToolDefinition>>;

export const EMPTY_TOOL_CATALOG: ToolCatalog = Object.freeze(Object.create(null) as Record<string, ToolDefinition>);

export function lookupTool(catalog: ToolCatalog, name: unknown): ToolDefinition | undefined {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(catalog, name)) return undefined;
  return catalog[name];
}

export function toolNames(catalog: ToolCatalog): string[] {
  return Object.keys(catalog).sort();
}
