import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateIntent, type ValidateOptions } from '../../engine/intents/validate.ts';
import { ROOT, shippedCatalog } from './shipped-catalog.ts';

interface Case {
  intent: unknown;
  target?: unknown;
  confidence?: unknown;
  options?: ValidateOptions;
  command?: string;
  step?: number | string;
  code?: string;
  reason_has?: string;
}

const cases = parse(readFileSync(`${ROOT}test/intents/cases.yaml`, 'utf8'), { schema: 'core' }) as {
  accepted: Case[];
  refused: Case[];
};
const catalog = shippedCatalog();

function run(c: Case) {
  const proposal: { intent: unknown; target?: unknown; confidence?: unknown } = { intent: c.intent };
  if (Object.hasOwn(c, 'target')) proposal.target = c.target;
  proposal.confidence = Object.hasOwn(c, 'confidence') ? c.confidence : 0.9;
  return validateIntent(catalog, proposal, c.options);
}

const label = (c: Case) => `${JSON.stringify(c.intent)} ${Object.hasOwn(c, 'target') ? JSON.stringify(c.target) : '(absent)'}`;

describe('validateIntent accepts', () => {
  it.each(cases.accepted.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const result = run(c);
    expect(result).toMatchObject({ ok: true, command: c.command });
    if (result.ok) expect(result.argv.join(' ')).toBe(c.command);
  });
});

describe('validateIntent refuses', () => {
  it.each(cases.refused.map((c) => [`${label(c)} -> ${c.code}`, c] as const))('%s', (_, c) => {
    const result = run(c);
    expect(result).toMatchObject({ ok: false, step: c.step, code: c.code });
    if (result.ok) return;
    // Reasons go to traces and terminals: printable ASCII only, hostile characters escaped.
    expect(result.reason).toMatch(/^[\x20-\x7e]+$/);
    if (c.reason_has !== undefined) expect(result.reason).toContain(c.reason_has);
  });
});

describe('validateIntent edge cases', () => {
  it('refuses a 200-character target at step 2 and shows it cut', () => {
    const long = 'a'.repeat(200);
    const result = validateIntent(catalog, { intent: 'restart_service', target: long, confidence: 0.9 });
    expect(result).toMatchObject({ ok: false, step: 2, code: 'TARGET_GRAMMAR' });
    if (!result.ok) {
      expect(result.reason).toContain('200 characters');
      expect(result.reason.length).toBeLessThan(200);
    }
  });

  it('accepts a 128-character target only if listed, and refuses 129 by grammar', () => {
    const r128 = validateIntent(catalog, { intent: 'restart_service', target: 'a'.repeat(128), confidence: 1 });
    expect(r128).toMatchObject({ ok: false, step: 3 });
    const r129 = validateIntent(catalog, { intent: 'restart_service', target: 'a'.repeat(129), confidence: 1 });
    expect(r129).toMatchObject({ ok: false, step: 2, code: 'TARGET_GRAMMAR' });
  });

  it('does not read an intent through the prototype chain, even with a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['evil_intent'] = catalog['restart_service'];
    try {
      const result = validateIntent(catalog, { intent: 'evil_intent', target: 'nginx', confidence: 1 });
      expect(result).toMatchObject({ ok: false, step: 1, code: 'INTENT_UNKNOWN' });
    } finally {
      delete proto['evil_intent'];
    }
  });

  it('returns the definition, the target and the argv for an accepted proposal', () => {
    const result = validateIntent(catalog, { intent: 'restart_service', target: 'nginx', confidence: 0.85 });
    expect(result).toEqual({
      ok: true,
      intent: catalog['restart_service'],
      target: 'nginx',
      argv: ['systemctl', 'restart', '--', 'nginx'],
      command: 'systemctl restart -- nginx',
    });
  });

  it('treats an absent confidence as invalid (deny by default)', () => {
    expect(validateIntent(catalog, { intent: 'restart_service', target: 'nginx' })).toMatchObject({
      ok: false,
      step: 4,
      code: 'CONFIDENCE_INVALID',
    });
  });

  it('never accepts a target outside the set and never throws, for any string', () => {
    const allowed = catalog['restart_service']?.targets;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (target) => {
        const result = validateIntent(catalog, { intent: 'restart_service', target, confidence: 1 });
        expect(result.ok).toBe(allowed?.has(target) === true);
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts a look-alike built by mutating an allowed target', () => {
    const mutated = fc
      .tuple(fc.constantFrom('nginx', 'php8.1-fpm', 'postgresql'), fc.nat(20), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
      .map(([base, at, insert]) => base.slice(0, at % (base.length + 1)) + insert + base.slice(at % (base.length + 1)));
    fc.assert(
      fc.property(mutated, (target) => {
        const result = validateIntent(catalog, { intent: 'restart_service', target, confidence: 1 });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
