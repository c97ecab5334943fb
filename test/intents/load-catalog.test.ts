import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadCatalog } from '../../engine/intents/load-catalog.ts';
import { loadCatalogDir } from './shipped-catalog.ts';

const FIXTURES = 'test/fixtures/catalog';

/** [file name, line, column, code, a piece of the message or hint] for each diagnostic, in order. */
type Want = [string, number, number, string, string];

function summary(ds: Diagnostic[]): Want[] {
  return ds.map((d) => [
    d.location.file.split('/').pop() ?? '',
    d.location.line,
    d.location.column,
    d.code,
    `${d.message} ${d.hint ?? ''}`,
  ]);
}

function expectDiagnostics(ds: Diagnostic[], want: Want[]): void {
  const got = summary(ds);
  expect(got.map(([f, l, c, code]) => [f, l, c, code])).toEqual(want.map(([f, l, c, code]) => [f, l, c, code]));
  got.forEach((g, i) => expect(g[4]).toContain(want[i]?.[4]));
}

describe('the shipped catalog (intents/)', () => {
  const { catalog, diagnostics } = loadCatalogDir('intents');

  it('loads with zero diagnostics', () => {
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(catalog).not.toBeNull();
  });

  it('has the intents the playbooks rely on', () => {
    expect(Object.keys(catalog ?? {}).sort()).toEqual(
      expect.arrayContaining(['ESCALATE', 'collect_logs', 'docker_prune', 'reload_service', 'restart_container', 'restart_service', 'vacuum_journal']),
    );
  });

  it('resolves restart_service as seed 003 describes it', () => {
    const def = catalog?.['restart_service'];
    expect(def).toMatchObject({
      name: 'restart_service',
      command: ['systemctl', 'restart', '--', '{target}'],
      targetList: ['nginx', 'php8.1-fpm', 'postgresql'],
      targetSet: 'services',
      risk: 'low',
      requiresApproval: false,
      cooldownSeconds: 300,
      readOnly: false,
      escalate: false,
      location: { file: 'intents/catalog.yaml' },
    });
    expect([...(def?.targets ?? [])]).toEqual(['nginx', 'php8.1-fpm', 'postgresql']);
  });

  it('marks ESCALATE and the read-only intents', () => {
    expect(catalog?.['ESCALATE']).toMatchObject({ escalate: true, command: [], targets: null });
    expect(catalog?.['collect_logs']?.readOnly).toBe(true);
    expect(catalog?.['docker_prune']).toMatchObject({ targets: null, risk: 'medium' });
  });

  it('is frozen, with a null prototype', () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.getPrototypeOf(catalog)).toBeNull();
    const def = catalog?.['restart_service'];
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def?.command)).toBe(true);
    expect(Object.isFrozen(def?.targetList)).toBe(true);
    expect(catalog?.['constructor']).toBeUndefined();
  });
});

describe('catalog lint', () => {
  it('catches every poisoned target, in targets.yaml and in inline lists, at the list item', () => {
    const { catalog, diagnostics } = loadCatalogDir(`${FIXTURES}/poisoned`);
    expect(catalog).toBeNull();
    expectDiagnostics(diagnostics, [
      ['catalog.yaml', 12, 18, 'CATALOG_TARGET_GRAMMAR', '"ngin\\u0445"'],
      ['catalog.yaml', 12, 32, 'CATALOG_TARGET_GRAMMAR', '".."'],
      ['targets.yaml', 4, 5, 'CATALOG_TARGET_BLOCKED', '";"'],
      ['targets.yaml', 5, 5, 'CATALOG_TARGET_BLOCKED', '"$("'],
      ['targets.yaml', 6, 5, 'CATALOG_TARGET_GRAMMAR', '"nginx\\n"'],
      ['targets.yaml', 9, 5, 'CATALOG_TARGET_GRAMMAR', 'option'],
    ]);
  });

  it('locates an unknown target set and suggests the closest', () => {
    const { catalog, diagnostics } = loadCatalogDir(`${FIXTURES}/unknown-set`);
    expect(catalog).toBeNull();
    expectDiagnostics(diagnostics, [
      ['catalog.yaml', 4, 19, 'CATALOG_UNKNOWN_SET', 'did you mean services?'],
      ['catalog.yaml', 12, 19, 'CATALOG_UNKNOWN_SET', 'defined sets: containers, services'],
    ]);
  });

  it('locates every malformed template', () => {
    const { catalog, diagnostics } = loadCatalogDir(`${FIXTURES}/bad-templates`);
    expect(catalog).toBeNull();
    expectDiagnostics(diagnostics, [
      ['catalog.yaml', 3, 25, 'CATALOG_TEMPLATE', 'must be a whole argv element'],
      ['catalog.yaml', 11, 39, 'CATALOG_TEMPLATE', 'unknown placeholder {service}'],
      ['catalog.yaml', 19, 12, 'CATALOG_TEMPLATE', 'missing or empty'],
      ['catalog.yaml', 25, 1, 'CATALOG_TEMPLATE', 'missing or empty'],
      ['catalog.yaml', 34, 36, 'CATALOG_TEMPLATE', 'targets: none'],
      ['catalog.yaml', 42, 12, 'CATALOG_TEMPLATE', 'never uses {target}'],
      ['catalog.yaml', 50, 13, 'CATALOG_TEMPLATE', 'cannot be the program'],
      ['catalog.yaml', 58, 24, 'CATALOG_TEMPLATE', 'control character'],
      ['catalog.yaml', 66, 12, 'CATALOG_TEMPLATE', 'must not have a command'],
    ]);
  });

  it('accepts inline target lists and a targets file with no sets', () => {
    const { catalog, diagnostics } = loadCatalogDir(`${FIXTURES}/valid-inline`);
    expect(diagnostics).toEqual([]);
    expect(catalog?.['restart_app']).toMatchObject({ targetList: ['app', 'app@2', 'worker.slow'], targetSet: null, requiresApproval: true });
  });

  it('reports schema errors instead of throwing on a malformed catalog', () => {
    const { catalog, diagnostics } = loadCatalog(
      { file: 'catalog.yaml', content: 'restart_service:\n  description: x\n  targets: all\n' },
      { file: 'targets.yaml', content: 'services: [nginx]\n' },
    );
    expect(catalog).toBeNull();
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.location.file === 'catalog.yaml')).toBe(true);
  });

  it('reports YAML errors in either file', () => {
    const { catalog, diagnostics } = loadCatalog(
      { file: 'catalog.yaml', content: 'a: [' },
      { file: 'targets.yaml', content: 'services: [nginx]\nservices: [sshd]\n' },
    );
    expect(catalog).toBeNull();
    expect(new Set(diagnostics.map((d) => d.location.file))).toEqual(new Set(['catalog.yaml', 'targets.yaml']));
  });
});
