import { createHash } from 'node:crypto';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { parseDuration } from '../expr/index.ts';
import { createSchemaCheck } from '../schema-check/index.ts';
import { loadYaml, type LoadedYaml } from '../yaml/load.ts';
import { Playbook as PlaybookSchema, type PlaybookDocument, type StepDocument } from '../../schemas/playbook.ts';
import { buildGates } from './build-gates.ts';
import { buildSteps } from './build-steps.ts';
import { CompileContext, type Capabilities } from './compile-context.ts';
import { checkReferences } from './check-references.ts';
import type { Playbook } from './model.ts';

export type { Capabilities } from './compile-context.ts';

export interface LoadResult {
  playbook: Playbook | null;
  diagnostics: Diagnostic[];
}

const checkSchema = createSchemaCheck<PlaybookDocument>(PlaybookSchema);

/** Names every expression may use besides step ids. */
export const BUILTIN_ROOTS = ['event', 'vars', 'run', 'playbook', 'error'] as const;

/**
 * Compiles a playbook in named stages: parse YAML, check the schema, build the internal form
 * (gates, steps, decision tables, compiled expressions), resolve references. Never throws.
 */
export function loadPlaybook(file: string, content: Uint8Array | string, caps: Capabilities): LoadResult {
  return compilePlaybook(loadYaml(file, content), content, caps);
}

/** The stages after parsing, for a file already read as YAML (`content` gives the content hash). */
export function compilePlaybook(doc: LoadedYaml, content: Uint8Array | string, caps: Capabilities): LoadResult {
  const file = doc.file;
  if (!doc.ok) return { playbook: null, diagnostics: doc.diagnostics };
  const schema = checkSchema(doc);
  if (!schema.ok) return { playbook: null, diagnostics: schema.diagnostics };
  const pb = schema.value;

  const ids = collectIds(pb.steps, ['steps']);
  const roots = new Set<string>([...BUILTIN_ROOTS, ...ids.keys()]);
  const ctx = new CompileContext(doc, caps, roots);
  for (const [id, paths] of ids) {
    for (const p of paths.slice(1)) ctx.report('STEP_DUPLICATE_ID', `step id ${JSON.stringify(id)} is already used`, [...p, 'id']);
  }

  const when = pb.on.when === undefined ? null : ctx.expr(pb.on.when, ['on', 'when']);
  if (!pb.on.webhook && !pb.on.schedule && !pb.on.approval) {
    ctx.report('SCHEMA', 'on: needs a trigger: webhook:, schedule: or approval:', ['on'], { key: true });
  }
  const schedule = pb.on.schedule
    ? { everyMs: pb.on.schedule.every ? parseDuration(pb.on.schedule.every) : null, cron: pb.on.schedule.cron ?? null, timezone: pb.on.schedule.timezone ?? null }
    : null;
  if (schedule && (schedule.everyMs === null) === (schedule.cron === null)) {
    ctx.report('SCHEMA', 'schedule: needs exactly one of every: or cron:', ['on', 'schedule']);
  }
  const gates = buildGates(ctx, pb.gates ?? []);
  const steps = buildSteps(ctx, pb.steps, ['steps'], false);
  const positions = new Map(steps.map((s, i) => [s.id, i] as const));
  checkReferences(ctx, pb, steps, positions);

  const diagnostics = ctx.diagnostics.sort(compareDiagnostics);
  if (hasErrors(diagnostics)) return { playbook: null, diagnostics };

  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const playbook: Playbook = {
    ref: { name: pb.metadata.name, version: pb.metadata.version, hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}` },
    file,
    description: pb.metadata.description ?? null,
    trigger: {
      webhooks: pb.on.webhook === undefined ? [] : Array.isArray(pb.on.webhook) ? pb.on.webhook : [pb.on.webhook],
      schedule,
      approval: pb.on.approval ?? false,
      when,
    },
    shadow: pb.shadow ?? false,
    vars: Object.freeze({ ...(pb.vars ?? {}) }),
    gates,
    steps,
    positions,
    onError: pb.on_error ?? null,
  };
  return { playbook: Object.freeze(playbook), diagnostics };
}

function collectIds(steps: readonly StepDocument[], path: (string | number)[], into = new Map<string, (string | number)[][]>()) {
  steps.forEach((s, i) => {
    const p = [...path, i];
    into.set(s.id, [...(into.get(s.id) ?? []), p]);
    if (s.parallel) collectIds(s.parallel, [...p, 'parallel'], into);
    if (s.steps) collectIds(s.steps, [...p, 'steps'], into);
  });
  return into;
}
