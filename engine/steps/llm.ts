import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Diagnosis, Validation } from '../../schemas/ailcp.ts';
import { EngineError } from '../errors.ts';
import { intentNames } from '../intents/model.ts';
import type { EffectRequest } from '../effects/effect.ts';
import { defineExecutor, perform, type StepContext } from './executor.ts';
import { declaredProblems, schemaProblems } from './input-check.ts';
import { REDACTED } from '../trace/redact.ts';
import { scrubText } from '../trace/scrub.ts';

const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * Asks a model for an AILCP message. The prompt comes from a template in prompts/; the answer is
 * parsed as JSON and checked against the AILCP schema before any step reads it. Alert text in the
 * prompt is data for the model, never a command.
 */
/** The shape an answer must have: an AILCP message, a schema the step declared, or free text (null). */
type AnswerShape = { ailcp: TSchema } | { declared: object } | null;

function* ask(ctx: StepContext, role: string, input: { model: string; prompt: string; context?: unknown }, shape: AnswerShape, extra: Record<string, unknown> = {}): Generator<EffectRequest, unknown, unknown> {
  const schema = shape === null ? null : 'ailcp' in shape ? shape.ailcp : shape.declared;
  const template = ctx.prompts.get(input.prompt);
  if (!template) throw new EngineError('PROMPT_UNKNOWN', `no prompt template named ${JSON.stringify(input.prompt)}`);
  // No context: the prompt says so rather than showing the word null.
  const context = input.context === undefined || input.context === null ? '(none)' : asText(withinBudget(input.context));
  const scope: Record<string, unknown> = { event: ctx.run.event, context, intents: describeCatalog(ctx), $now: Date.parse(ctx.nowIso()) };
  for (const [k, v] of Object.entries(extra)) scope[k] = asText(v);
  // A secret written in the alert or a command's output never reaches a model, local or cloud.
  const prompt = scrubText(String(template.evaluate(scope)), REDACTED);
  ctx.trace({ type: 'llm', step: ctx.stepId, role, model: input.model, promptChars: prompt.length, prompt });
  const answer = yield* perform({
    kind: 'llm.complete',
    request: { role, model: input.model, system: `You answer as the ${role} of an AILCP exchange, with one JSON object only.`, prompt, ...(schema ? { schema } : {}) },
  });
  if (!schema) return { text: answer.text.slice(0, MAX_ANSWER_CHARS) };
  const value = parseJsonAnswer(answer.text);
  const problems = shape !== null && 'declared' in shape ? declaredProblems(shape.declared, value) : schemaProblems(schema as TSchema, value);
  const name = shape !== null && 'declared' in shape ? 'its declared output' : String((schema as TSchema).$id);
  if (problems.length) throw new EngineError('LLM_BAD_ANSWER', `${role} answer does not match ${name}: ${problems.slice(0, 5).join('; ')}`);
  return value;
}

/** What one text of a step's context may take in a prompt, and the whole context (characters). */
const CONTEXT_TEXT_BUDGET = 4096;
const CONTEXT_BUDGET = 16 * 1024;

/**
 * A command's output in the context (recent logs, disk usage) keeps its last characters, the
 * newest lines: a model's prompt has a budget, and a 10 MB journal must not fill it.
 */
function withinBudget(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length <= CONTEXT_TEXT_BUDGET ? value : `[… ${value.length - CONTEXT_TEXT_BUDGET} earlier characters cut]\n${value.slice(-CONTEXT_TEXT_BUDGET)}`;
  }
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => withinBudget(v, depth + 1));
  const out: Record<string, unknown> = {};
  let used = 0;
  for (const [k, v] of Object.entries(value)) {
    const kept = withinBudget(v, depth + 1);
    used += JSON.stringify(kept ?? null).length;
    // Past the whole budget, later fields are named but not shown.
    out[k] = depth === 0 && used > CONTEXT_BUDGET ? '[cut: the context is over its budget]' : kept;
  }
  return out;
}

/** Objects reach a prompt as indented JSON, not as [object Object]. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Models wrap JSON in prose or code fences; take the outermost object. */
function parseJsonAnswer(text: string): unknown {
  const t = text.slice(0, MAX_ANSWER_CHARS);
  const start = t.indexOf('{');
  const end = t.lastIndexOf('}');
  if (start < 0 || end < start) throw new EngineError('LLM_BAD_ANSWER', 'the answer holds no JSON object');
  try {
    return JSON.parse(t.slice(start, end + 1));
  } catch (e) {
    throw new EngineError('LLM_BAD_ANSWER', `the answer is not valid JSON: ${(e as Error).message}`);
  }
}

/** The catalog as the prompt shows it: intents, risk, and the exact targets each accepts. */
function describeCatalog(ctx: StepContext): string {
  return intentNames(ctx.catalog)
    .map((name) => {
      const def = ctx.catalog[name]!;
      const targets = def.targetList ? def.targetList.join(', ') : '(no target)';
      return `- ${name} [risk ${def.risk}]: ${def.description} Targets: ${targets}`;
    })
    .join('\n');
}

const Base = { model: Type.String({ minLength: 1 }), prompt: Type.String({ minLength: 1 }), context: Type.Optional(Type.Unknown()) };

const DiagnoseInput = Type.Object({ ...Base, role: Type.Optional(Type.String()) }, { additionalProperties: false });
export const llmDiagnoseStep = defineExecutor<Static<typeof DiagnoseInput>>({
  name: 'llm.diagnose',
  summary: 'Asks a model for an AILCP DIAGNOSIS {observation, intent, target, confidence, reasoning}.',
  effect: 'read',
  input: DiagnoseInput,
  defaultTimeoutMs: 120_000,
  run: (ctx, input) => ask(ctx, input.role ?? 'diagnostician', input, { ailcp: Diagnosis }),
});

const ValidateInput = Type.Object({ ...Base, diagnosis: Type.Unknown(), role: Type.Optional(Type.String()) }, { additionalProperties: false });
export const llmValidateStep = defineExecutor<Static<typeof ValidateInput>>({
  name: 'llm.validate',
  summary: 'Asks a second model to challenge a diagnosis: AILCP VALIDATION {agreement, score, objections}.',
  effect: 'read',
  input: ValidateInput,
  defaultTimeoutMs: 120_000,
  run: (ctx, input) => ask(ctx, input.role ?? 'validator', input, { ailcp: Validation }, { diagnosis: input.diagnosis }),
});

const AskInput = Type.Object(
  {
    ...Base,
    role: Type.String({ minLength: 1 }),
    answer: Type.Optional(Type.Union([Type.Literal('diagnosis'), Type.Literal('validation'), Type.Literal('text')])),
    output: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'A JSON Schema the answer must match (instead of answer:), e.g. {type: object, required: [category], properties: {...}}.' }),
    ),
  },
  { additionalProperties: false },
);
export const llmAskStep = defineExecutor<Static<typeof AskInput>>({
  name: 'llm.ask',
  summary: 'Asks a model in any role (expert N2, architect N3); answer diagnosis, validation, text, or the output: schema declared.',
  effect: 'read',
  input: AskInput,
  defaultTimeoutMs: 120_000,
  run: (ctx, input) => {
    if (input.output !== undefined) {
      if (input.answer !== undefined) throw new EngineError('STEP_INPUT', 'llm.ask: give answer: or output:, not both');
      return ask(ctx, input.role, input, { declared: input.output });
    }
    return ask(ctx, input.role, input, input.answer === 'validation' ? { ailcp: Validation } : input.answer === 'text' ? null : { ailcp: Diagnosis });
  },
});
