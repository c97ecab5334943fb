import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaybookRegistry } from '../../runtime/playbooks/registry.ts';
import { FIXTURE_PLAYBOOKS, REPO } from '../support/fixture-project.ts';

const repo = REPO;

describe('playbook reload: a clean change replaces, a broken one is refused and the last good version runs on', () => {
  let root: string;
  let registry: PlaybookRegistry;
  const file = () => join(root, 'playbooks', 'remediate.yaml');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-reload-'));
    for (const dir of ['intents', 'prompts']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
    cpSync(join(FIXTURE_PLAYBOOKS, 'remediate.yaml'), file());
    registry = new PlaybookRegistry({ root, playbooksDir: join(root, 'playbooks') });
    registry.reload();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('replaces a playbook whose new version lints clean', () => {
    const before = registry.find('remediate')!.ref;
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('version: 1.0.0', 'version: 1.0.1'));
    const report = registry.reload();
    expect(report).toEqual({ applied: ['remediate'], removed: [], refused: [] });
    expect(registry.find('remediate')!.ref.version).toBe('1.0.1');
    expect(registry.find('remediate')!.ref.hash).not.toBe(before.hash);
    expect(registry.current().generation).toBe(2);
  });

  it('refuses a broken version with located errors and keeps the last good one', () => {
    const good = registry.find('remediate')!.ref;
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('cases: { AUTO_EXECUTE: execute,', 'cases: { AUTO_EXECUTE: exeucte,'));
    const report = registry.reload();
    expect(report.applied).toEqual([]);
    expect(report.refused).toHaveLength(1);
    expect(report.refused[0]!.errors[0]).toMatch(/remediate\.yaml:\d+:\d+: STEP_UNKNOWN_REF|remediate\.yaml:\d+:\d+: [A-Z_]+: .*exeucte/);
    expect(registry.find('remediate')!.ref).toEqual(good);
    expect(registry.current().generation).toBe(1);
  });

  it('drops a playbook whose file was removed, and refuses the whole reload when the catalog breaks', () => {
    writeFileSync(join(root, 'intents', 'catalog.yaml'), 'intents: [oops');
    const broken = registry.reload();
    expect(broken.refused[0]!.file).toMatch(/catalog\.yaml$/);
    expect(registry.find('remediate')).toBeDefined();
    cpSync(join(repo, 'intents', 'catalog.yaml'), join(root, 'intents', 'catalog.yaml'));
    unlinkSync(file());
    expect(registry.reload().removed).toEqual(['remediate']);
    expect(registry.current().playbooks).toEqual([]);
  });

  it('will not start on a broken catalog', () => {
    writeFileSync(join(root, 'intents', 'catalog.yaml'), 'intents: [oops');
    expect(() => new PlaybookRegistry({ root, playbooksDir: join(root, 'playbooks') }).reload()).toThrow(/cannot start/);
  });
});
