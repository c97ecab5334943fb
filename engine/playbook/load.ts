import { loopOnlyIds } from './loop-scopes.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { createSchemaCheck } from '../schema-check/index.ts';
import { loadYaml, type LoadedYaml } from '../yaml/load.ts';
import { Playbook as PlaybookSchema, type PlaybookDocument, type StepDocument } from '../../schemas/playbook.ts';
import { buildGates } from './build-gates.ts';
import { BrokenParts } from './broken-parts.ts';
import { buildStep } from './build-steps.ts';
import { buildTrigger } from './build-trigger.ts';
import { eventFields } from './event-fields.ts';
import { CompileContext, type Capabilities } from './compile-context.ts';
import { checkApprovals } from './check-approvals.ts';
import { checkReferences } from './check-references.ts';
import type { Playbook, Step } from './model.ts';

export type { Capabilities } from './compile-context.ts';

export interface LoadResult {
  playbook: Playbook | null;
  diagnostics: Diagnostic[];
}

const checkSchema = createSchemaCheck<PlaybookDocument>(PlaybookSchema);

/** Names every expression may use besides step ids. */
const BUILTIN_ROOTS = ['event', 'vars', 'run', 'playbook', 'error'] as const;
/** Names a step id may not take: it would hide a name every expression reads. */
const RESERVED_IDS: ReadonlySet<string> = new Set([...BUILTIN_ROOTS, 'item', 'index', 'it']);

/**
 * Compiles a playbook in named stages: parse YAML, check the schema, build the internal form
 * (gates, steps, decision tables, compiled expressions), resolve references. Never throws.
 */
export function loadPlaybook(file: string, content: Uint8Array | string, caps: Capabilities): LoadResult {
  return compilePlaybook(loadYaml(file, content), content, caps);
}

/**
 * The stages after parsing, for a file already read as YAML (`content` gives the content hash).
 * A schema error does not stop the later stages: they skip the broken parts (BrokenParts) and
 * check the others, so one pass reports every independent error.
 */
export function compilePlaybook(doc: LoadedYaml, content: Uint8Array | string, caps: Capabilities): LoadResult {
  const file = doc.file;
  if (!doc.ok) return { playbook: null, diagnostics: doc.diagnostics };
  const schema = checkSchema(doc);
  const broken = schema.ok ? BrokenParts.none() : BrokenParts.of(doc.value, schema.problems ?? []);
  if (broken === null) return { playbook: null, diagnostics: schema.diagnostics };
  // Past the schema stage, `pb` is read only in the parts `broken` does not name.
  const pb = doc.value as PlaybookDocument;
  const stepDocs: readonly StepDocument[] = broken.has(['steps']) ? [] : pb.steps;

  const ids = collectIds(stepDocs, ['steps']);
  const loopOnly = loopOnlyIds(stepDocs);
  // A step inside a for_each body is visible only inside that loop (the body adds it back).
  const roots = new Set<string>([...BUILTIN_ROOTS, ...[...ids.keys()].filter((id) => !loopOnly.has(id))]);
  const ctx = new CompileContext(doc, caps, roots, broken, eventFields(pb.on, broken, new Set(ids.keys())), loopOnly, objectNames(stepDocs), modelSteps(stepDocs));
  ctx.diagnostics.push(...schema.diagnostics);
  for (const [id, paths] of ids) {
    for (const p of paths.slice(1)) ctx.report('STEP_DUPLICATE_ID', `step id ${JSON.stringify(id)} is already used`, [...p, 'id']);
    if (RESERVED_IDS.has(id)) ctx.report('STEP_ID_RESERVED', `step id ${JSON.stringify(id)} would hide the built-in name ${id}: choose another id`, [...paths[0]!, 'id']);
  }

  const trigger = buildTrigger(ctx, pb.on);
  const gates = broken.has(['gates']) ? [] : buildGates(ctx, pb.gates ?? []);
  const built = stepDocs.map((d, i) => buildStep(ctx, d, ['steps', i], false));
  const topIds = new Set(stepDocs.flatMap((d) => (typeof (d as { id?: unknown } | null)?.id === 'string' ? [d.id] : [])));
  checkReferences(ctx, pb, stepDocs, built, topIds);
  // Paths are read from the YAML, so only a playbook whose every part passed the schema.
  if (broken.empty) checkApprovals(ctx, pb);

  const diagnostics = ctx.diagnostics.sort(compareDiagnostics);
  if (hasErrors(diagnostics) || !broken.empty) return { playbook: null, diagnostics };

  const steps = built.filter((s): s is Step => s !== null);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const playbook: Playbook = {
    ref: { name: pb.metadata.name, version: pb.metadata.version, hash: `sha256:${bytesToHex(sha256(bytes))}` },
    file,
    description: pb.metadata.description ?? null,
    trigger,
    shadow: pb.shadow ?? false,
    vars: Object.freeze({ ...(pb.vars ?? {}) }),
    gates,
    steps,
    positions: new Map(steps.map((s, i) => [s.id, i] as const)),
    onError: pb.on_error ?? null,
  };
  return { playbook: Object.freeze(playbook), diagnostics };
}

/** Step ids and where each is written; defensive, since a step that failed the schema is read too. */
/**
 * The names whose value is never text: the built-in roots and the steps whose output is an
 * object or a list (executors, parallel, groups, for_each, a table with named outputs). A switch
 * or a one-value table gives text.
 */
function objectNames(steps: readonly unknown[], into = new Set<string>(BUILTIN_ROOTS)): Set<string> {
  for (const s of steps) {
    if (typeof s !== 'object' || s === null) continue;
    const step = s as { id?: unknown; use?: unknown; parallel?: unknown; steps?: unknown; decide?: unknown };
    const rows = Array.isArray(step.decide) ? (step.decide as { then?: unknown; else?: unknown }[]) : [];
    const named = rows.some((r) => typeof (r?.then ?? r?.else) === 'object' && (r?.then ?? r?.else) !== null);
    if (typeof step.id === 'string' && (step.use !== undefined || step.parallel !== undefined || step.steps !== undefined || named)) into.add(step.id);
    if (Array.isArray(step.parallel)) objectNames(step.parallel, into);
    if (Array.isArray(step.steps)) objectNames(step.steps, into);
  }
  return into;
}

/** The ids of the steps that ask a model, at any depth. */
function modelSteps(steps: readonly unknown[], into = new Set<string>()): Set<string> {
  for (const s of steps) {
    if (typeof s !== 'object' || s === null) continue;
    const step = s as { id?: unknown; use?: unknown; parallel?: unknown; steps?: unknown };
    if (typeof step.id === 'string' && /^[a-z_][a-z0-9_]*$/.test(step.id) && typeof step.use === 'string' && step.use.startsWith('llm.')) into.add(step.id);
    if (Array.isArray(step.parallel)) modelSteps(step.parallel, into);
    if (Array.isArray(step.steps)) modelSteps(step.steps, into);
  }
  return into;
}

function collectIds(steps: readonly unknown[], path: (string | number)[], into = new Map<string, (string | number)[][]>()) {
  steps.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    const step = s as { id?: unknown; parallel?: unknown; steps?: unknown };
    const p = [...path, i];
    if (typeof step.id === 'string') into.set(step.id, [...(into.get(step.id) ?? []), p]);
    if (Array.isArray(step.parallel)) collectIds(step.parallel, [...p, 'parallel'], into);
    if (Array.isArray(step.steps)) collectIds(step.steps, [...p, 'steps'], into);
  });
  return into;
}
