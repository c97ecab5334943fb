import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaybookRegistry } from '../../runtime/playbooks/registry.ts';

const repo = join(import.meta.dirname, '../..');

describe('playbook reload: a clean change replaces, a broken one is refused and the last good version runs on', () => {
  let root: string;
  let registry: PlaybookRegistry;
  const file = () => join(root, 'playbooks', 'supervisor.yaml');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-reload-'));
    for (const dir of ['intents', 'prompts']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
    cpSync(join(repo, 'playbooks', 'supervisor.yaml'), file());
    registry = new PlaybookRegistry({ root, playbooksDir: join(root, 'playbooks') });
    registry.reload();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('replaces a playbook whose new version lints clean', () => {
    const before = registry.find('supervisor')!.ref;
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('version: 3.0.0', 'version: 3.0.1'));
    const report = registry.reload();
    expect(report).toEqual({ applied: ['supervisor'], removed: [], refused: [] });
    expect(registry.find('supervisor')!.ref.version).toBe('3.0.1');
    expect(registry.find('supervisor')!.ref.hash).not.toBe(before.hash);
    expect(registry.current().generation).toBe(2);
  });

  it('refuses a broken version with located errors and keeps the last good one', () => {
    const good = registry.find('supervisor')!.ref;
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('next: verify', 'next: verfy'));
    const report = registry.reload();
    expect(report.applied).toEqual([]);
    expect(report.refused).toHaveLength(1);
    expect(report.refused[0]!.errors[0]).toMatch(/supervisor\.yaml:\d+:\d+: STEP_UNKNOWN_REF|supervisor\.yaml:\d+:\d+: [A-Z_]+: .*verfy/);
    expect(registry.find('supervisor')!.ref).toEqual(good);
    expect(registry.current().generation).toBe(1);
  });

  it('drops a playbook whose file was removed, and refuses the whole reload when the catalog breaks', () => {
    writeFileSync(join(root, 'intents', 'catalog.yaml'), 'intents: [oops');
    const broken = registry.reload();
    expect(broken.refused[0]!.file).toMatch(/catalog\.yaml$/);
    expect(registry.find('supervisor')).toBeDefined();
    cpSync(join(repo, 'intents', 'catalog.yaml'), join(root, 'intents', 'catalog.yaml'));
    unlinkSync(file());
    expect(registry.reload().removed).toEqual(['supervisor']);
    expect(registry.current().playbooks).toEqual([]);
  });

  it('will not start on a broken catalog', () => {
    writeFileSync(join(root, 'intents', 'catalog.yaml'), 'intents: [oops');
    expect(() => new PlaybookRegistry({ root, playbooksDir: join(root, 'playbooks') }).reload()).toThrow(/cannot start/);
  });
});
