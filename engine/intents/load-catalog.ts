import { IntentCatalog as IntentCatalogSchema, type IntentCatalogDocument, type IntentSpecDocument } from '../../schemas/intent-catalog.ts';
import { TargetSets as TargetSetsSchema, type TargetSetsDocument } from '../../schemas/target-sets.ts';
import { compareDiagnostics, diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { closestName } from '../expr/closest.ts';
import { createSchemaCheck, type SchemaCheck } from '../schema-check/index.ts';
import { loadYaml, type LoadedYaml } from '../yaml/load.ts';
import { FrozenSet } from './frozen-set.ts';
import { ESCALATE, type IntentCatalog, type IntentDefinition } from './model.ts';
import { targetTextProblem } from './target-rules.ts';
import { templateProblems } from './template.ts';

/** A file's name (as diagnostics should print it) and its bytes; the caller does the reading. */
export interface CatalogSource {
  file: string;
  content: Uint8Array | string;
}

export interface CatalogLoad {
  /** Null when any error was found: a half-valid catalog is never used. */
  catalog: IntentCatalog | null;
  diagnostics: Diagnostic[];
}

const checkCatalog = createSchemaCheck<IntentCatalogDocument>(IntentCatalogSchema);
const checkTargetSets = createSchemaCheck<TargetSetsDocument>(TargetSetsSchema);

/**
 * Loads intents/catalog.yaml and intents/targets.yaml, in stages: parse, schema, check every
 * target (sets and inline lists) against the grammar and the blocklist, resolve named sets,
 * check templates, freeze. Pure: never throws, never reads a file.
 */
export function loadCatalog(catalogFile: CatalogSource, targetsFile: CatalogSource): CatalogLoad {
  const diagnostics: Diagnostic[] = [];

  const targetsYaml = loadYaml(targetsFile.file, targetsFile.content);
  // A targets file with only comments defines no sets; that is not an error.
  const sets = targetsYaml.ok && targetsYaml.value === null ? emptySets(targetsYaml, diagnostics) : validated(targetsYaml, checkTargetSets, diagnostics);
  if (sets !== null) {
    for (const [setName, items] of Object.entries(sets)) {
      checkTargets(items, targetsYaml, [setName], diagnostics);
    }
  }

  const catalogYaml = loadYaml(catalogFile.file, catalogFile.content);
  const doc = validated(catalogYaml, checkCatalog, diagnostics);
  const definitions: Record<string, IntentDefinition> = Object.create(null);
  if (doc !== null) {
    for (const [name, spec] of Object.entries(doc)) {
      const def = buildDefinition(name, spec, sets, catalogYaml, diagnostics);
      if (def !== null) definitions[name] = def;
    }
  }

  diagnostics.sort(compareDiagnostics);
  if (doc === null || sets === null || hasErrors(diagnostics)) return { catalog: null, diagnostics };
  return { catalog: Object.freeze(definitions), diagnostics };
}

function validated<T>(loaded: LoadedYaml, check: SchemaCheck<T>, out: Diagnostic[]): T | null {
  out.push(...loaded.diagnostics);
  if (!loaded.ok) return null;
  const result = check(loaded);
  if (!result.ok) {
    out.push(...result.diagnostics);
    return null;
  }
  return result.value;
}

function emptySets(loaded: LoadedYaml, out: Diagnostic[]): TargetSetsDocument {
  out.push(...loaded.diagnostics);
  return {};
}

/** Every target in the catalog must be one a model could be allowed to name. */
function checkTargets(items: readonly string[], yaml: LoadedYaml, path: (string | number)[], out: Diagnostic[]): void {
  items.forEach((item, index) => {
    const problem = targetTextProblem(item);
    if (problem === null) return;
    const code = problem.code === 'TARGET_BLOCKED' ? 'CATALOG_TARGET_BLOCKED' : 'CATALOG_TARGET_GRAMMAR';
    out.push(
      diagnostic(code, `catalog ${problem.reason}`, yaml.locate([...path, index]), {
        hint: 'targets are exact names such as nginx or php8.1-fpm; a target reaches a root shell',
      }),
    );
  });
}

interface ResolvedTargets {
  list: readonly string[] | null;
  set: string | null;
}

function resolveTargets(
  name: string,
  spec: IntentSpecDocument,
  sets: TargetSetsDocument | null,
  yaml: LoadedYaml,
  out: Diagnostic[],
): ResolvedTargets | null {
  const targets = spec.targets;
  if (targets === 'none') return { list: null, set: null };
  if (Array.isArray(targets)) {
    checkTargets(targets, yaml, [name, 'targets'], out);
    return { list: targets, set: null };
  }
  // A broken targets.yaml was already reported; do not add one unknown-set error per intent.
  if (sets === null) return null;
  if (Object.prototype.hasOwnProperty.call(sets, targets.set)) {
    return { list: sets[targets.set] ?? [], set: targets.set };
  }
  const near = closestName(targets.set, Object.keys(sets));
  out.push(
    diagnostic('CATALOG_UNKNOWN_SET', `intent ${name} uses target set "${targets.set}", which targets.yaml does not define`, yaml.locate([name, 'targets', 'set']), {
      hint: near === undefined ? `defined sets: ${Object.keys(sets).sort().join(', ') || 'none'}` : `did you mean ${near}?`,
    }),
  );
  return null;
}

function buildDefinition(
  name: string,
  spec: IntentSpecDocument,
  sets: TargetSetsDocument | null,
  yaml: LoadedYaml,
  out: Diagnostic[],
): IntentDefinition | null {
  const escalate = name === ESCALATE;
  const targets = resolveTargets(name, spec, sets, yaml, out);

  const problems = templateProblems(spec.command, { takesTarget: spec.targets !== 'none', escalate });
  for (const p of problems) {
    const at = p.index === null ? (spec.command === undefined ? yaml.locateKey([name]) : yaml.locate([name, 'command'])) : yaml.locate([name, 'command', p.index]);
    out.push(diagnostic('CATALOG_TEMPLATE', `intent ${name}: ${p.message}`, at));
  }
  if (spec.verify !== undefined) {
    for (const p of templateProblems(spec.verify, { takesTarget: spec.targets !== 'none', escalate })) {
      const at = p.index === null ? yaml.locate([name, 'verify']) : yaml.locate([name, 'verify', p.index]);
      out.push(diagnostic('CATALOG_TEMPLATE', `intent ${name}: verify: ${p.message}`, at));
      problems.push(p);
    }
  }
  if (targets === null || problems.length > 0) return null;

  const list = targets.list === null ? null : Object.freeze([...targets.list]);
  return Object.freeze({
    name,
    description: spec.description,
    command: Object.freeze([...(spec.command ?? [])]),
    targets: list === null ? null : new FrozenSet(list),
    targetList: list,
    targetSet: targets.set,
    risk: spec.risk,
    requiresApproval: spec.requires_approval,
    cooldownSeconds: spec.cooldown_seconds,
    readOnly: spec.read_only,
    timeoutSeconds: spec.timeout_seconds ?? null,
    acceptedExitCodes: Object.freeze([...(spec.accepted_exit_codes ?? [0])]),
    verify: spec.verify === undefined ? null : Object.freeze([...spec.verify]),
    escalate,
    location: yaml.locateKey([name]),
  });
}
