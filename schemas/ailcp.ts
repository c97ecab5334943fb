import { Type, type Static } from '@sinclair/typebox';

/**
 * AILCP, the messages between the models and the engine (seed 001). A model's answer is parsed
 * and checked against these before anything reads it; a target here is only a proposal that the
 * intent validation (engine/intents) still has to accept.
 */
const SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

// The bodies carry no $id so CONSENSUS can embed them without registering an id twice in Ajv.
const probability = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

const diagnosisBody = {
  observation: Type.String({ maxLength: 4000, description: 'What the model sees in the alert and logs.' }),
  intent: Type.String({ maxLength: 64, description: 'An intent from the catalog, or ESCALATE.' }),
  target: Type.Union([Type.String({ maxLength: 256 }), Type.Null()], {
    description: 'The target of the intent; null for intents without a target.',
  }),
  confidence: probability('The diagnostician confidence, 0 to 1.'),
  reasoning: Type.String({ maxLength: 4000 }),
};

const validationBody = {
  agreement: Type.Union([Type.Literal('AGREE'), Type.Literal('PARTIAL'), Type.Literal('DISAGREE')]),
  score: probability('The validator confidence in the diagnosis, 0 to 1.'),
  objections: Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 20 }),
};

/** DIAGNOSIS, from the diagnostician (Qwen). */
export const Diagnosis = Type.Object(diagnosisBody, {
  $id: 'ailcp-diagnosis',
  $schema: SCHEMA_2020,
  title: 'AILCP DIAGNOSIS',
  additionalProperties: false,
});
export type Diagnosis = Static<typeof Diagnosis>;

/** VALIDATION, from the validator (Phi-3) challenging a diagnosis. */
export const Validation = Type.Object(validationBody, {
  $id: 'ailcp-validation',
  $schema: SCHEMA_2020,
  title: 'AILCP VALIDATION',
  additionalProperties: false,
});
export type Validation = Static<typeof Validation>;

/** CONSENSUS, the engine's decision from the decision table. */
export const Consensus = Type.Object(
  {
    decision: Type.String({ minLength: 1, description: 'AUTO_EXECUTE, EXECUTE_WITH_LOG, HUMAN_REVIEW, ESCALATE_N2...' }),
    diagnosis: Type.Object(diagnosisBody, { additionalProperties: false }),
    validation: Type.Object(validationBody, { additionalProperties: false }),
    reason: Type.String(),
  },
  { $id: 'ailcp-consensus', $schema: SCHEMA_2020, title: 'AILCP CONSENSUS', additionalProperties: false },
);
export type Consensus = Static<typeof Consensus>;
