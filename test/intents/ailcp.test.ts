import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { Consensus, Diagnosis, Validation } from '../../schemas/ailcp.ts';
import { IntentCatalog } from '../../schemas/intent-catalog.ts';
import { TargetSets } from '../../schemas/target-sets.ts';

// One strict Ajv holding every schema at once: ids must not collide and keywords must be known.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
for (const s of [Diagnosis, Validation, Consensus, IntentCatalog, TargetSets]) ajv.addSchema(JSON.parse(JSON.stringify(s)));
const check = (id: string, value: unknown) => ajv.validate(id, value);

const diagnosis = {
  observation: 'Erreur 502 sur nginx',
  intent: 'restart_service',
  target: 'nginx',
  confidence: 0.85,
  reasoning: 'Process crashed, restart should fix',
};
const validation = { agreement: 'AGREE', score: 0.8, objections: [] };

describe('AILCP schemas', () => {
  it('accept the seed examples', () => {
    expect(check('ailcp-diagnosis', diagnosis)).toBe(true);
    expect(check('ailcp-diagnosis', { ...diagnosis, intent: 'ESCALATE', target: null })).toBe(true);
    expect(check('ailcp-validation', validation)).toBe(true);
    expect(check('ailcp-consensus', { decision: 'AUTO_EXECUTE', diagnosis, validation, reason: 'both agree' })).toBe(true);
  });

  it.each([
    ['a confidence above 1', 'ailcp-diagnosis', { ...diagnosis, confidence: 1.2 }],
    ['a confidence as a string', 'ailcp-diagnosis', { ...diagnosis, confidence: '0.9' }],
    ['a numeric target', 'ailcp-diagnosis', { ...diagnosis, target: 1 }],
    ['a missing reasoning', 'ailcp-diagnosis', { ...diagnosis, reasoning: undefined }],
    ['an extra field (a command)', 'ailcp-diagnosis', { ...diagnosis, command: 'rm -rf /' }],
    ['an unknown agreement', 'ailcp-validation', { ...validation, agreement: 'MAYBE' }],
    ['a negative score', 'ailcp-validation', { ...validation, score: -0.1 }],
    ['objections that are not strings', 'ailcp-validation', { ...validation, objections: [1] }],
  ])('refuse %s', (_, id, value) => {
    expect(check(id, JSON.parse(JSON.stringify(value)))).toBe(false);
  });
});
