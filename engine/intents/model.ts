import type { SourceLocation } from '../diagnostics/diagnostic.ts';

/** The intent a model uses to say "a human must look". It never has a command. */
export const ESCALATE = 'ESCALATE';

type RiskLevel = 'low' | 'medium' | 'high';

/** One intent after loading: targets resolved, template checked, frozen. */
export interface IntentDefinition {
  readonly name: string;
  readonly description: string;
  /** The argv template; `{target}` elements are replaced whole. Empty for ESCALATE. */
  readonly command: readonly string[];
  /** The exact targets allowed, or null when the intent takes no target. */
  readonly targets: ReadonlySet<string> | null;
  /** The same targets as listed in the YAML, in order (for prompts and messages). */
  readonly targetList: readonly string[] | null;
  /** The named set the targets came from (`services`), or null for an inline list or none. */
  readonly targetSet: string | null;
  readonly risk: RiskLevel;
  readonly requiresApproval: boolean;
  readonly cooldownSeconds: number;
  readonly readOnly: boolean;
  readonly timeoutSeconds: number | null;
  /** The argv template that checks the change took (exit 0), or null: what recovery runs instead of repeating the command. */
  readonly verify: readonly string[] | null;
  /** Exit codes that count as success when the intent changes the system (default [0]). */
  readonly acceptedExitCodes: readonly number[];
  /** True only for ESCALATE: validation always refuses it, with its own reason. */
  readonly escalate: boolean;
  /** Where the intent is defined in catalog.yaml. */
  readonly location: SourceLocation;
}

/**
 * The frozen catalog: intent name to definition. The object has a null prototype, so
 * `catalog['constructor']` is undefined; still, look names up with `lookupIntent`, which only
 * sees own properties and only accepts strings.
 */
export type IntentCatalog = Readonly<Record<string, IntentDefinition>>;

export function lookupIntent(catalog: IntentCatalog, name: unknown): IntentDefinition | undefined {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(catalog, name)) return undefined;
  return catalog[name];
}

export function intentNames(catalog: IntentCatalog): string[] {
  return Object.keys(catalog).sort();
}
