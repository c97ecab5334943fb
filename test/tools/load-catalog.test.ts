import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { argsHash, canonicalJson } from '../../engine/tools/args-hash.ts';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import { lookupTool } from '../../engine/tools/model.ts';
import { ROOT } from '../run/harness.ts';

const load = (text: string) => loadToolCatalog({ file: 'tools/catalog.yaml', content: text });
const errors = (text: string) => load(text).diagnostics.map(formatDiagnostic);

const TOOL = (extra = '', args = '{ type: object, properties: { user: { type: string } }, required: [user] }') => `
reset:
  description: Resets a password.
  server: mcp
  level: L3
  read_only: false
  idempotent: false
  timeout_seconds: 10
  args: ${args}
${extra}`;

describe('tools/catalog.yaml loader', () => {
  it('loads the shipped catalog: the tools seed 004 flows call, with their levels and secret fields', () => {
    const r = loadToolCatalog({ file: 'tools/catalog.yaml', content: readFileSync(`${ROOT}tools/catalog.yaml`) });
    expect(r.diagnostics).toEqual([]);
    const names = Object.keys(r.catalog!).sort();
    expect(names).toEqual([
      'ad_check_user', 'ad_reset_password', 'ad_unlock_account', 'glpi_add_followup', 'glpi_close_ticket', 'glpi_create_ticket',
      'glpi_get_resolved_tickets', 'glpi_search_client', 'glpi_search_diag_followups', 'glpi_search_new_tickets', 'glpi_send_email', 'memory_add_knowledge', 'memory_check_exists', 'memory_search_similar_cases',
      'mysecret_create_secret', 'notify_client', 'notify_technician', 'observium_get_device_history', 'observium_get_device_metrics',
      'observium_get_device_status',
    ]);
    const c = r.catalog!;
    expect(names.filter((n) => c[n]!.level === 'L3')).toEqual(['ad_reset_password', 'glpi_close_ticket']);
    expect(c['ad_unlock_account']!.level).toBe('L2');
    expect(c['ad_reset_password']!.secretArgs).toEqual([]);
    expect(c['ad_reset_password']!.secretResult).toEqual(['new_password']);
    expect(c['mysecret_create_secret']!.secretArgs).toEqual(['secret']);
    expect(c['glpi_get_resolved_tickets']!.checkArgs({ hours: 24, limit: 50 })).toBeNull();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c['ad_reset_password']!.argsSchema)).toBe(true);
    expect(lookupTool(c, 'constructor')).toBeUndefined();
  });

  it('checks arguments with ajv and says where each problem is; unknown arguments are refused by default', () => {
    const def = load(TOOL()).catalog!['reset']!;
    expect(def.checkArgs({ user: 'alice' })).toBeNull();
    expect(def.checkArgs({ user: 3 })).toBe('/user: must be string');
    expect(def.checkArgs({})).toBe("(args): must have required property 'user'");
    expect(def.checkArgs({ user: 'a', extra: 1 })).toBe('(args): must NOT have additional properties ("extra")');
    expect(load(TOOL('', '{ type: object, additionalProperties: true }')).catalog!['reset']!.checkArgs({ any: 1 })).toBeNull();
  });

  it('an empty file (comments only) is an empty catalog', () => {
    const r = load('# no tools yet\n');
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.catalog!)).toEqual([]);
  });

  it('reports schema problems at their line and column, and uses no half-valid catalog', () => {
    const r = load(TOOL().replace('level: L3', 'level: L4'));
    expect(r.catalog).toBeNull();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^tools\/catalog\.yaml:5:10: SCHEMA/)]);
    expect(errors(TOOL().replace('  server: mcp\n', ''))).toEqual(['tools/catalog.yaml:3:3: SCHEMA: reset: missing required property "server"']);
  });

  it('an args schema ajv refuses is TOOL_CATALOG_ARGS at args', () => {
    expect(errors(TOOL('', '{ type: object, properties: { user: { type: strin } } }'))).toEqual([
      expect.stringMatching(/^tools\/catalog\.yaml:9:9: TOOL_CATALOG_ARGS: tool reset: args is not a valid JSON Schema/),
    ]);
  });

  it('a secret field that is not an argument is TOOL_CATALOG_SECRET, at the item', () => {
    expect(errors(TOOL('  secret: [user, password]\n'))).toEqual([
      'tools/catalog.yaml:10:18: TOOL_CATALOG_SECRET: tool reset: secret field "password" is not one of its arguments (arguments: user)',
    ]);
  });

  it('a read-only tool must be L1 (TOOL_CATALOG_LEVEL)', () => {
    expect(errors(TOOL().replace('read_only: false', 'read_only: true'))).toEqual([
      expect.stringMatching(/^tools\/catalog\.yaml:5:10: TOOL_CATALOG_LEVEL: tool reset is read-only but L3/),
    ]);
  });

  it('the approval hash is the sha256 of the canonical JSON: key order does not matter, values do', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
    expect(argsHash({ a: 1, b: 2 })).toBe(argsHash({ b: 2, a: 1 }));
    expect(argsHash({ a: 1 })).not.toBe(argsHash({ a: 2 }));
    expect(argsHash({})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
