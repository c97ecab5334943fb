import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { NormalizedEvent } from '../../schemas/event.ts';
import { NORMALIZERS, isSourceName, type SourceName } from '../../runtime/sources/normalizer.ts';

const ajv = new Ajv2020({ strict: true, allErrors: true });

describe('the normalized event schema', () => {
  it('is a draft 2020-12 schema with $id event that compiles in strict mode', () => {
    expect(NormalizedEvent.$id).toBe('event');
    expect(NormalizedEvent.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => ajv.compile(NormalizedEvent)).not.toThrow();
  });

  it('documents every field', () => {
    for (const [name, field] of Object.entries(NormalizedEvent.properties)) {
      expect(field.description, name).toMatch(/\w/);
    }
  });

  it('refuses extra fields, such as a raw body', () => {
    const event = {
      source: 'generic', kind: 'alert', status: 'down', service: null, host: null, severity: null,
      message: '', at: '2026-11-21T23:03:39.623Z', fingerprint: 'generic:1', labels: {}, url: null,
    };
    const validate = ajv.getSchema('event') ?? ajv.compile(NormalizedEvent);
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, raw: {} })).toBe(false);
    expect(validate({ ...event, at: '2026-11-21T23:03:39+01:00' })).toBe(false);
    expect(validate({ ...event, labels: { '': 'x' } })).toBe(false);
  });
});

describe('the normalizer table', () => {
  it('lists the four sources under their own names', () => {
    expect(Object.keys(NORMALIZERS)).toEqual(['uptime-kuma', 'alertmanager', 'observium', 'generic', 'safeguard']);
    for (const [name, n] of Object.entries(NORMALIZERS)) expect(n.source).toBe(name);
  });

  it('knows only own names', () => {
    expect(isSourceName('observium')).toBe(true);
    expect(isSourceName('constructor')).toBe(false);
    expect(isSourceName('__proto__')).toBe(false);
  });

  it.each(Object.keys(NORMALIZERS) as SourceName[])('%s: defaults match the options schema', (source) => {
    const validate = ajv.compile(NORMALIZERS[source].optionsSchema);
    expect(validate(NORMALIZERS[source].defaults), JSON.stringify(validate.errors)).toBe(true);
  });

  it('option schemas refuse unknown terms and malformed maps at load time', () => {
    const kuma = ajv.compile(NORMALIZERS['uptime-kuma'].optionsSchema);
    expect(kuma({ ...NORMALIZERS['uptime-kuma'].defaults, hostFrom: ['name:middle-word'] })).toBe(false);
    expect(kuma({ ...NORMALIZERS['uptime-kuma'].defaults, hostFrom: ['tag:host', 'const:web-1'] })).toBe(true);
    const obs = ajv.compile(NORMALIZERS.observium.optionsSchema);
    expect(obs({ ...NORMALIZERS.observium.defaults, stateMap: { alert: 'down' } })).toBe(false);
    expect(obs({ ...NORMALIZERS.observium.defaults, stateMap: { ALERT: 'broken' } })).toBe(false);
    const gen = ajv.compile(NORMALIZERS.generic.optionsSchema);
    expect(gen({ ...NORMALIZERS.generic.defaults, service: 'a..b' })).toBe(false);
    expect(gen({ ...NORMALIZERS.generic.defaults, source: 'Bad Name' })).toBe(false);
  });
});
