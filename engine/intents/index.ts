// The intent catalog: load it, validate a proposal against it, render the command.
export { loadCatalog, type CatalogLoad, type CatalogSource } from './load-catalog.ts';
export { ESCALATE, intentNames, lookupIntent, type IntentCatalog, type IntentDefinition, type RiskLevel } from './model.ts';
export { quoteForPosixShell, renderCommand, type RenderedCommand } from './render.ts';
export { BLOCKED_PATTERNS, TARGET_GRAMMAR, showValue, targetTextProblem } from './target-rules.ts';
export { TARGET_PLACEHOLDER } from './template.ts';
export {
  DEFAULT_MIN_CONFIDENCE,
  validateIntent,
  type IntentAccepted,
  type IntentProposal,
  type IntentRefusalCode,
  type IntentRefused,
  type IntentValidation,
  type ValidateOptions,
  type ValidationStep,
} from './validate.ts';
