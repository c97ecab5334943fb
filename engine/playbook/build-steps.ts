import { parseDuration } from '../expr/index.ts';
import { intentNames, lookupIntent } from '../intents/model.ts';
import type { StepDocument } from '../../schemas/playbook.ts';
import { closest, type CompileContext } from './compile-context.ts';
import { buildDecision } from './build-decision.ts';
import { idsOfLoop } from './loop-scopes.ts';
import { checkInputs } from './check-inputs.ts';
import { checkToolCall } from './check-tools.ts';
import type { Step } from './model.ts';
import { declaredSchemaProblems } from '../steps/input-check.ts';
import { lookupTool } from '../tools/model.ts';

const KINDS = ['use', 'parallel', 'for_each', 'switch', 'decide'] as const;
type Kind = (typeof KINDS)[number] | 'group';
/** Keys that belong to some kinds only. */
const KIND_KEY_LIST: readonly (readonly [string, readonly Kind[]])[] = [
  ['with', ['use']],
  ['as', ['for_each']],
  ['on_item_error', ['for_each']],
  ['concurrency', ['for_each']],
  ['on_branch_error', ['parallel']],
  ['steps', ['for_each', 'group']],
  ['cases', ['switch']],
  ['default', ['switch']],
];

type Path = (string | number)[];

/**
 * Builds a list of steps. A sequence (the top level, a for_each body, a group) may jump inside
 * itself; a parallel branch (`branch`) is a single step and may not jump (`next:`, switch).
 */
function buildSteps(ctx: CompileContext, docs: readonly StepDocument[], path: Path, branch: boolean, extraRoots: readonly string[] = []): Step[] {
  const out: Step[] = [];
  docs.forEach((doc, i) => {
    const step = buildStep(ctx, doc, [...path, i], branch, extraRoots);
    if (step) out.push(step);
  });
  return out;
}

/** One step; null when it failed the schema (skipped: already reported) or cannot be built. */
export function buildStep(ctx: CompileContext, doc: StepDocument, path: Path, branch: boolean, extraRoots: readonly string[] = []): Step | null {
  if (ctx.broken.has(path)) return null;
  const kinds: Kind[] = [];
  for (const k of KINDS) if (doc[k] !== undefined) kinds.push(k);
  if (kinds.length === 0 && doc.steps !== undefined) kinds.push('group');
  if (kinds.length !== 1) {
    const what = kinds.length === 0 ? 'has none' : `has ${kinds.join(' and ')}`;
    ctx.report('STEP_UNKNOWN_KIND', `step ${doc.id} needs exactly one of use:, parallel:, for_each:, switch:, decide:, steps: (it ${what})`, path);
    return null;
  }
  const kind = kinds[0]!;
  for (const [key, owners] of KIND_KEY_LIST) {
    if ((doc as Record<string, unknown>)[key] !== undefined && !owners.includes(kind)) {
      const owner = owners.map((o) => (o === 'group' ? 'group' : `${o}:`)).join(' or ');
      ctx.report('SCHEMA', `${key}: belongs to a ${owner} step, not a ${kind === 'group' ? 'group' : `${kind}:`} step`, [...path, key], { key: true });
    }
  }
  if (branch && (doc.next !== undefined || kind === 'switch' || doc.on_error !== undefined || doc.on_timeout !== undefined)) {
    ctx.report(
      'STEP_UNKNOWN_REF',
      `step ${doc.id} is a parallel branch and cannot jump (next:, switch:, on_error:, on_timeout:); make it a group (steps:) or set on_branch_error: continue on the parallel step`,
      path,
    );
  }
  const base = {
    id: doc.id,
    location: ctx.at(path),
    when: doc.when === undefined ? null : ctx.expr(doc.when, [...path, 'when'], extraRoots),
    timeoutMs: doc.timeout === undefined ? null : parseDuration(doc.timeout),
    onError: doc.on_error ?? null,
    onTimeout: doc.on_timeout ?? null,
    next: doc.next ?? null,
  };
  switch (kind) {
    case 'use':
      return { ...base, kind, use: doc.use!, with: buildUse(ctx, doc, path, extraRoots) };
    case 'parallel':
      return { ...base, kind, branches: buildSteps(ctx, doc.parallel!, [...path, 'parallel'], true, extraRoots), onBranchError: doc.on_branch_error ?? 'fail' };
    case 'for_each': {
      const as = doc.as ?? 'item';
      const items = ctx.expr(doc.for_each, [...path, 'for_each'], extraRoots);
      if (!doc.steps) ctx.report('SCHEMA', `for_each step ${doc.id} needs steps:`, path);
      const steps = buildSteps(ctx, doc.steps ?? [], [...path, 'steps'], false, [...extraRoots, as, 'index', ...idsOfLoop(doc.id, ctx.loopOnly)]);
      return items ? { ...base, kind, items, as, steps, onItemError: doc.on_item_error ?? 'fail', concurrency: doc.concurrency ?? 1 } : null;
    }
    case 'group':
      return { ...base, kind, steps: buildSteps(ctx, doc.steps!, [...path, 'steps'], false, extraRoots) };
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
  checkFreeText(ctx, name, input, path);
  if (name === 'tool.call') checkToolCall(ctx, input, path);
  return doc.with === undefined ? null : ctx.value(doc.with, [...path, 'with'], extraRoots);
}

/** Fields of an event that carry text a sender wrote: attacker-controlled, never a target. */
const EVENT_TEXT = /\bevent\.(message|labels|url)\b/;
/** Fields of a step's output or a loop item that carry human text (a ticket's content, a reason). */
const TEXT_FIELD = /\b[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+|\[[^\]]*\])*\.(content|title|description|text|body|message|solution|reason|comment|subject|summary)\b/;

/**
 * Design rule 5: alert text never chooses what is acted on. An intent's target or host, or a tool
 * argument that names what is acted on, computed from free text is flagged: the event's message,
 * labels or url; a text field of a step's output or a loop item (a ticket's content, a reason);
 * and, for tools, a model's answer (a model read that text; intents validate a model's target
 * against the catalog's sets, tools have no such list). The tool catalog's `text:` fields (a
 * ticket's content, a message, a search query) are meant for such text and not checked. The
 * catalog still refuses a target outside its list at run time; this says so at review time.
 */
function checkFreeText(ctx: CompileContext, use: string, input: Record<string, unknown>, path: Path): void {
  const flag = (key: string, value: unknown, at: Path, models: boolean) => {
    const text = JSON.stringify(value ?? null);
    if (!text.includes('${')) return;
    const model = models ? [...ctx.modelSteps].find((id) => new RegExp(`\\$\\{[^}]*\\b${id}(\\.|\\b)`).test(text)) : undefined;
    const field = EVENT_TEXT.exec(text)?.[0] ?? TEXT_FIELD.exec(text)?.[0] ?? (model === undefined ? undefined : `${model} (a model's answer)`);
    if (field === undefined) return;
    ctx.report('FREE_TEXT_TARGET', `${key} is computed from ${field}, free text: text never chooses what is acted on (design rule 5); use a structured field (event.service, event.host, a ticket's requester) or a step that validates it`, at, {
      severity: 'warning',
    });
  };
  if (use === 'intent.run' || use === 'intent.validate') {
    for (const key of ['target', 'host', 'intent']) if (input[key] !== undefined) flag(key, input[key], [...path, 'with', key], false);
  }
  if (use !== 'tool.call' || input['args'] === undefined) return;
  const tool = typeof input['name'] === 'string' && ctx.caps.tools ? lookupTool(ctx.caps.tools, input['name']) : undefined;
  const args = input['args'];
  if (tool === undefined || typeof args !== 'object' || args === null || Array.isArray(args)) {
    flag('a tool argument', args, [...path, 'with', 'args'], true);
    return;
  }
  for (const [key, value] of Object.entries(args)) {
    if (!tool.textArgs.includes(key)) flag(`argument ${key} of ${tool.name}`, value, [...path, 'with', 'args', key], true);
  }
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
  if (use === 'llm.ask' && input['output'] !== undefined) {
    if (input['answer'] !== undefined) ctx.report('STEP_INVALID_INPUT', 'llm.ask takes answer: or output:, not both', [...path, 'with', 'output'], { key: true });
    else if (!JSON.stringify(input['output']).includes('${')) {
      for (const problem of declaredSchemaProblems(input['output']).slice(0, 1)) ctx.report('STEP_INVALID_INPUT', `llm.ask ${problem}`, [...path, 'with', 'output']);
    }
  }
  const prompt = input['prompt'];
  if (use.startsWith('llm.') && typeof prompt === 'string' && !prompt.includes('${') && !ctx.caps.prompts.has(prompt)) {
    const hint = closest(prompt, ctx.caps.prompts);
    ctx.report('PROMPT_UNKNOWN', `no prompt template named ${JSON.stringify(prompt)} in prompts/`, [...path, 'with', 'prompt'], hint ? { hint: `did you mean ${hint}?` } : {});
  }
}
