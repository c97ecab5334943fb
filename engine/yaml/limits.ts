/** Bounds on what the loader accepts from a file written by anyone (a fork's pull request included). */
export interface YamlLimits {
  maxBytes: number;
  maxAliases: number;
  /** Nesting of mappings and lists; the root collection is depth 1, scalars add nothing. */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = Object.freeze({ maxBytes: 1024 * 1024, maxAliases: 50, maxDepth: 64 });

/**
 * Nodes that aliases may add to a document once expanded. Aliases are copied into the value,
 * so this bounds the work of every later stage (schema check, compilation) however the
 * anchors are nested.
 */
export const MAX_ALIAS_EXPANSION = 100_000;
