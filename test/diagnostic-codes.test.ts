import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../engine/diagnostics/codes.ts';

describe('docs/diagnostics.md', () => {
  it('documents every stable diagnostic code', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'diagnostics.md'), 'utf8');
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !doc.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });
});
