import { closestName } from '../expr/closest.ts';
import { intentNames, lookupIntent, type IntentCatalog, type IntentDefinition } from './model.ts';
import { renderCommand } from './render.ts';
import { showValue, targetTextProblem } from './target-rules.ts';

/**
 * The five steps of seed 003, hardened (DESIGN section 2), then the expected-target check.
 * Every refusal has a stable code and a reason safe to print: offending values are escaped.
 */

export const DEFAULT_MIN_CONFIDENCE = 0.6;

type ValidationStep = 1 | 2 | 3 | 4 | 5 | 'expected_target';

type IntentRefusalCode =
  | 'INTENT_TYPE'
  | 'INTENT_UNKNOWN'
  | 'TARGET_TYPE'
  | 'TARGET_BLOCKED'
  | 'TARGET_GRAMMAR'
  | 'TARGET_REQUIRED'
  | 'TARGET_NOT_ALLOWED'
  | 'CONFIDENCE_INVALID'
  | 'CONFIDENCE_LOW'
  | 'ESCALATE_REQUESTED'
  | 'TARGET_MISMATCH';

/** What a model (or a memory hit, or a playbook) proposes. Everything is unknown until checked. */
export interface IntentProposal {
  intent: unknown;
  target?: unknown;
  confidence?: unknown;
}

export interface ValidateOptions {
  /** Inclusive: a confidence equal to the threshold passes. Default 0.6 (seed 003). */
  minConfidence?: number;
  /** The alerting service: a model that picks another target is sent to a human. */
  expectedTarget?: string;
}

export type IntentAccepted = {
  ok: true;
  intent: IntentDefinition;
  target: string | null;
  argv: string[];
  command: string;
};

type IntentRefused = { ok: false; step: ValidationStep; code: IntentRefusalCode; reason: string };

export type IntentValidation = IntentAccepted | IntentRefused;

const refuse = (step: ValidationStep, code: IntentRefusalCode, reason: string): IntentRefused => ({
  ok: false,
  step,
  code,
  reason,
});

export function validateIntent(
  catalog: IntentCatalog,
  proposal: IntentProposal,
  options: ValidateOptions = {},
): IntentValidation {
  // Step 1: the intent exists (own property, string only).
  const name = proposal.intent;
  if (typeof name !== 'string') {
    return refuse(1, 'INTENT_TYPE', `the intent must be a string, got ${showValue(name)}`);
  }
  const def = lookupIntent(catalog, name);
  if (def === undefined) {
    // Attacker-chosen names are often long; closestName skips candidates of very different length.
    const near = closestName(name, intentNames(catalog));
    const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
    return refuse(1, 'INTENT_UNKNOWN', `intent ${showValue(name)} is not in the catalog${hint}`);
  }

  // Step 2: the target is a string free of blocked patterns and within the grammar.
  // null, absent and "" all mean "no target"; nothing else is coerced or trimmed.
  const raw = proposal.target;
  let target: string | null;
  if (raw === undefined || raw === null || raw === '') {
    target = null;
  } else if (typeof raw === 'string') {
    const problem = targetTextProblem(raw);
    if (problem) return refuse(2, problem.code, problem.reason);
    target = raw;
  } else {
    return refuse(2, 'TARGET_TYPE', `the target must be a string or null, got ${showValue(raw)}`);
  }

  // ESCALATE runs nothing: its target is only a label for the human and a low confidence is
  // exactly when it should be used, so steps 3 and 4 do not apply and step 5 gives the reason.
  if (!def.escalate) {
    // Step 3: the target is allowed for this intent, byte for byte.
    const step3 = checkAllowed(def, target);
    if (step3) return step3;

    // Step 4: confidence >= threshold (inclusive), a finite number in 0..1.
    const c = proposal.confidence;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1) {
      return refuse(4, 'CONFIDENCE_INVALID', `the confidence must be a number from 0 to 1, got ${showValue(c)}`);
    }
    const min = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    if (!(c >= min)) {
      return refuse(4, 'CONFIDENCE_LOW', `the confidence ${c} is below the threshold ${min}`);
    }
  }

  // Step 5: not ESCALATE.
  if (def.escalate) {
    const about = target === null ? '' : ` about ${showValue(target)}`;
    return refuse(5, 'ESCALATE_REQUESTED', `the model asked for a human (ESCALATE)${about}`);
  }

  // The alerting service decides the target; the model only confirms it.
  if (options.expectedTarget !== undefined && def.targets !== null && target !== options.expectedTarget) {
    return refuse(
      'expected_target',
      'TARGET_MISMATCH',
      `the model chose target ${showValue(target)} but the alert is about ${showValue(options.expectedTarget)}`,
    );
  }

  const rendered = renderCommand(def, target);
  return { ok: true, intent: def, target, argv: rendered.argv, command: rendered.command };
}

const LISTED_MAX = 10;

function checkAllowed(def: IntentDefinition, target: string | null): IntentRefused | null {
  if (def.targets === null) {
    if (target === null) return null;
    return refuse(3, 'TARGET_NOT_ALLOWED', `intent ${def.name} takes no target, got ${showValue(target)}`);
  }
  if (target === null) {
    return refuse(3, 'TARGET_REQUIRED', `intent ${def.name} needs a target (${allowedText(def)})`);
  }
  if (def.targets.has(target)) return null;
  return refuse(3, 'TARGET_NOT_ALLOWED', `target ${showValue(target)} is not allowed for ${def.name} (${allowedText(def)})`);
}

function allowedText(def: IntentDefinition): string {
  const list = def.targetList ?? [];
  if (list.length === 0) return 'its target list is empty';
  const shown = list.slice(0, LISTED_MAX).join(', ');
  const more = list.length > LISTED_MAX ? `, and ${list.length - LISTED_MAX} more` : '';
  const from = def.targetSet === null ? '' : ` from set ${def.targetSet}`;
  return `allowed${from}: ${shown}${more}`;
}
