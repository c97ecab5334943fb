import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupIntent } from '../../engine/intents/model.ts';
import { PlaybookRegistry } from '../../runtime/playbooks/registry.ts';
import { RECENT_GENERATIONS } from '../../runtime/playbooks/versions.ts';
import { REPO } from '../support/fixture-project.ts';

/** A playbook that names vacuum_journal literally, so a catalog without it refuses the file. */
const playbook = (version: string): string => `apiVersion: heal/v1
kind: Playbook
metadata: { name: vacuum, version: ${version}, owner: tests }
on: { webhook: uptime-kuma }
steps:
  - { id: vacuum, use: intent.run, with: { intent: vacuum_journal, host: "\${event.host}" } }
`;

describe('playbook versions by content hash: kept while runs may use them, bounded otherwise', () => {
  let root: string;
  let registry: PlaybookRegistry;
  const file = () => join(root, 'playbooks', 'vacuum.yaml');
  const load = (version: string): string => {
    writeFileSync(file(), playbook(version));
    registry.reload();
    return registry.find('vacuum')!.ref.hash;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-versions-'));
    for (const dir of ['intents', 'prompts']) cpSync(join(REPO, dir), join(root, dir), { recursive: true });
    mkdirSync(join(root, 'playbooks'));
    registry = new PlaybookRegistry({ root, playbooksDir: join(root, 'playbooks') });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the version in force and a replaced one by hash, each with its own playbook', () => {
    const first = load('1.0.0');
    const pinned = registry.byHash(first)!;
    expect(pinned.playbook).toBe(registry.find('vacuum'));
    expect(pinned.catalog).toBe(registry.current().catalog);
    expect(pinned.prompts).toBe(registry.current().prompts);
    const second = load('2.0.0');
    expect(registry.byHash(first)!.playbook.ref.version).toBe('1.0.0');
    expect(registry.byHash(second)!.playbook.ref.version).toBe('2.0.0');
    expect(registry.byHash(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('keeps a refused file\'s last good version with the catalog it was compiled against', () => {
    const hash = load('1.0.0');
    const before = registry.current().catalog;
    const catalog = join(root, 'intents', 'catalog.yaml');
    writeFileSync(catalog, readFileSync(catalog, 'utf8').replace(/^vacuum_journal:\n(?: .*\n)+/m, ''));
    const report = registry.reload();
    expect(report.refused.map((r) => r.file)).toEqual([expect.stringMatching(/vacuum\.yaml$/)]);
    expect(lookupIntent(registry.current().catalog, 'vacuum_journal')).toBeUndefined();
    expect(registry.byHash(hash)!.catalog).toBe(before);
    expect(lookupIntent(registry.byHash(hash)!.catalog, 'vacuum_journal')).toBeDefined();
  });

  it(`drops a version out of force after ${RECENT_GENERATIONS} generations unless a live run retains it`, () => {
    const first = load('1.0.0');
    const second = load('2.0.0');
    for (let i = 3; i <= RECENT_GENERATIONS; i++) load(`${i}.0.0`);
    // `first` was last in force at generation 1, `second` at 2; the current generation is 20.
    expect(registry.byHash(first)).toBeDefined();
    registry.retain([second]);
    load('21.0.0');
    expect(registry.byHash(first)).toBeUndefined();
    load('22.0.0');
    expect(registry.byHash(second)!.playbook.ref.version).toBe('2.0.0');
    registry.retain([]);
    expect(registry.byHash(second)).toBeUndefined();
    expect(registry.byHash(registry.find('vacuum')!.ref.hash)).toBeDefined();
  });

  it('keeps the version in force whatever the retained hashes, and a removed file\'s version for a while', () => {
    const hash = load('1.0.0');
    registry.retain([]);
    expect(registry.byHash(hash)).toBeDefined();
    unlinkSync(file());
    expect(registry.reload().removed).toEqual(['vacuum']);
    expect(registry.byHash(hash)!.playbook.ref.name).toBe('vacuum');
  });
});
