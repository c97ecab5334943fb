import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readProbeConfig } from '../../runtime/adapters/http-probe/config.ts';
import { readNotifyConfig } from '../../runtime/adapters/notify/config.ts';

/** The engine.config.yaml examples of docs/notifications.md and docs/probes.md read without error. */

const ROOT = join(import.meta.dirname, '..', '..');

function yamlBlocks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Every variable an example names gets a value (webhook variables an https URL). */
function envFor(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]+)\b/g)) env[m[1]!] = m[1]!.endsWith('WEBHOOK') ? `https://hooks.example.org/${m[1]!}` : `value-of-${m[1]!}`;
  return env;
}

describe('docs examples', () => {
  it('docs/notifications.md: the notifiers: example', () => {
    const blocks = yamlBlocks('docs/notifications.md');
    expect(blocks).toHaveLength(1);
    const doc = parse(blocks[0]!) as { notifiers: unknown };
    const r = readNotifyConfig(doc.notifiers, envFor(blocks[0]!));
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(Object.keys(r.value.channels)).toEqual(['ops', 'approvals', 'escalation', 'technicians']);
  });

  it('docs/probes.md: the probes: example', () => {
    const blocks = yamlBlocks('docs/probes.md');
    expect(blocks).toHaveLength(1);
    const doc = parse(blocks[0]!) as { probes: unknown };
    const r = readProbeConfig(doc.probes, envFor(blocks[0]!));
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(r.value.probes.map((p) => p.base.href)).toEqual(['https://glpi.example.org/apirest.php']);
  });
});
