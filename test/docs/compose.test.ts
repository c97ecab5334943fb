import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../support/fixture-project.ts';

/**
 * docker-compose.yml cannot be started here (no Docker engine), so what a clean clone needs from
 * it is checked by reading it: the same reading a reviewer would do.
 */
interface Service {
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('docker-compose.yml', () => {
  const engines = Object.entries(compose.services).filter(([, s]) => (s.command ?? []).join(' ').includes('bin/engine.js'));

  it('runs serve and worker', () => {
    expect(engines.map(([name]) => name).sort()).toEqual(['serve', 'worker']);
  });

  it('installs with npm ci into a volume of its own, never into the host checkout', () => {
    expect(compose.services['serve']!.command!.join(' ')).toMatch(/^sh -c npm ci\b/);
    for (const [, s] of engines) {
      expect(s.volumes).toContain('./:/app');
      expect(s.volumes).toContain('node-modules:/app/node_modules');
    }
    expect(Object.keys(compose.volumes)).toContain('node-modules');
  });

  it('publishes the port on loopback only (the read API needs READ_TOKEN before it goes further)', () => {
    for (const [, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    expect(compose.services['serve']!.environment).toHaveProperty('READ_TOKEN');
    expect(compose.services['serve']!.environment).toHaveProperty('APPROVE_TOKEN');
    expect(compose.services['serve']!.environment).toHaveProperty('ENGINE_SECRET_KEY');
  });

  it('runs Node with the flags of npm start', () => {
    const flags = pkg.scripts['start']!.match(/--[\w-]+=\S+/g) ?? [];
    for (const [, s] of engines) for (const flag of flags) expect(s.command!.join(' ')).toContain(flag);
  });
});
