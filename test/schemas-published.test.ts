import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, schemaJson } from '../schemas/all.ts';

describe('published JSON Schemas match their TypeBox sources (regenerate with npm run schemas)', () => {
  it.each(PUBLISHED_SCHEMAS.map((s) => [s.file, s.schema] as const))('%s', (file, schema) => {
    const onDisk = readFileSync(join(import.meta.dirname, '..', 'schemas', file), 'utf8');
    expect(onDisk).toBe(schemaJson(schema));
  });
});
