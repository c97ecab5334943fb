import { parseDuration } from '../expr/index.ts';
import { intentNames, lookupIntent } from '../intents/model.ts';
import type { StepDocument } from '../../schemas/playbook.ts';
import { closest, type CompileContext } from './compile-context.ts';
import { buildDecision } from './build-decision.ts';
import { checkInputs } from './check-inputs.ts';
import type { Step } from './model.ts';

const KINDS = ['use', 'parallel', 'for_each', 'switch', 'decide'] as const;
/** Keys that belong to one kind only. */
const KIND_KEY_LIST: readonly (readonly [string, (typeof KINDS)[number]])[] = [
  ['with', 'use'],
  ['as', 'for_each'],
  ['steps', 'for_each'],
  ['cases', 'switch'],
  ['default', 'switch'],
];

type Path = (string | number)[];

/** Builds a list of steps; `nested` steps may not jump (`next:`, switch) since they run inside another. */
function buildSteps(ctx: CompileContext, docs: readonly StepDocument[], path: Path, nested: boolean, extraRoots: readonly string[] = []): Step[] {
  const out: Step[] = [];
  docs.forEach((doc, i) => {
    const step = buildStep(ctx, doc, [...path, i], nested, extraRoots);
    if (step) out.push(step);
  });
  return out;
}

/** One step; null when it failed the schema (skipped: already reported) or cannot be built. */
export function buildStep(ctx: CompileContext, doc: StepDocument, path: Path, nested: boolean, extraRoots: readonly string[] = []): Step | null {
  if (ctx.broken.has(path)) return null;
  const kinds: (typeof KINDS)[number][] = [];
  for (const k of KINDS) if (doc[k] !== undefined) kinds.push(k);
  if (kinds.length !== 1) {
    const what = kinds.length === 0 ? 'has none' : `has ${kinds.join(' and ')}`;
    ctx.report('STEP_UNKNOWN_KIND', `step ${doc.id} needs exactly one of use:, parallel:, for_each:, switch:, decide: (it ${what})`, path);
    return null;
  }
  const kind = kinds[0]!;
  for (const [key, owner] of KIND_KEY_LIST) {
    if ((doc as Record<string, unknown>)[key] !== undefined && owner !== kind) {
      ctx.report('SCHEMA', `${key}: belongs to a ${owner}: step, not a ${kind}: step`, [...path, key], { key: true });
    }
  }
  if (nested && (doc.next !== undefined || kind === 'switch')) {
    ctx.report('STEP_UNKNOWN_REF', `step ${doc.id} runs inside another step and cannot jump (next:, switch:)`, path);
  }
  const base = {
    id: doc.id,
    location: ctx.at(path),
    when: doc.when === undefined ? null : ctx.expr(doc.when, [...path, 'when'], extraRoots),
    timeoutMs: doc.timeout === undefined ? null : parseDuration(doc.timeout),
    onError: doc.on_error ?? null,
    next: doc.next ?? null,
  };
  switch (kind) {
    case 'use':
      return { ...base, kind, use: doc.use!, with: buildUse(ctx, doc, path, extraRoots) };
    case 'parallel':
      return { ...base, kind, branches: buildSteps(ctx, doc.parallel!, [...path, 'parallel'], true, extraRoots) };
    case 'for_each': {
      const as = doc.as ?? 'item';
      const items = ctx.expr(doc.for_each, [...path, 'for_each'], extraRoots);
      if (!doc.steps) ctx.report('SCHEMA', `for_each step ${doc.id} needs steps:`, path);
      const steps = buildSteps(ctx, doc.steps ?? [], [...path, 'steps'], true, [...extraRoots, as, 'index']);
      return items ? { ...base, kind, items, as, steps } : null;
    }
    case 'switch': {
      const on = ctx.expr(doc.switch, [...path, 'switch'], extraRoots);
      if (!doc.cases) ctx.report('SCHEMA', `switch step ${doc.id} needs cases:`, path);
      return on ? { ...base, kind, on, cases: { ...(doc.cases ?? {}) }, default: doc.default ?? null } : null;
    }
    case 'decide': {
      const d = buildDecision(ctx, doc.decide!, [...path, 'decide'], extraRoots);
      return d ? { ...base, kind, rows: d.rows, otherwise: d.otherwise } : null;
    }
  }
}

function buildUse(ctx: CompileContext, doc: StepDocument, path: Path, extraRoots: readonly string[]) {
  const name = doc.use!;
  const executor = ctx.caps.executors.get(name);
  if (!executor) {
    const hint = closest(name, ctx.caps.executors.keys());
    ctx.report('STEP_UNKNOWN_KIND', `unknown step executor ${JSON.stringify(name)}`, [...path, 'use'], hint ? { hint: `did you mean ${hint}?` } : {});
  } else {
    checkInputs(ctx, executor.input, doc.with ?? {}, path, name);
  }
  const input = doc.with ?? {};
  checkCatalogNames(ctx, name, input, path);
  return doc.with === undefined ? null : ctx.value(doc.with, [...path, 'with'], extraRoots);
}

/** Literal intent and prompt names are capabilities: checked at load, not found missing at 3 a.m. */
function checkCatalogNames(ctx: CompileContext, use: string, input: Record<string, unknown>, path: Path): void {
  const intent = input['intent'];
  if (use.startsWith('intent.') && typeof intent === 'string' && !intent.includes('${') && ctx.caps.catalog) {
    if (lookupIntent(ctx.caps.catalog, intent) === undefined) {
      const hint = closest(intent, intentNames(ctx.caps.catalog));
      ctx.report('INTENT_UNKNOWN', `intent ${JSON.stringify(intent)} is not in the catalog`, [...path, 'with', 'intent'], hint ? { hint: `did you mean ${hint}?` } : {});
    }
  }
  const prompt = input['prompt'];
  if (use.startsWith('llm.') && typeof prompt === 'string' && !prompt.includes('${') && !ctx.caps.prompts.has(prompt)) {
    const hint = closest(prompt, ctx.caps.prompts);
    ctx.report('PROMPT_UNKNOWN', `no prompt template named ${JSON.stringify(prompt)} in prompts/`, [...path, 'with', 'prompt'], hint ? { hint: `did you mean ${hint}?` } : {});
  }
}
