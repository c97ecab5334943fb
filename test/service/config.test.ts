import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/config.ts';
import { buildSourceTable } from '../../runtime/http/source-table.ts';

describe('configuration: environment and engine.config.yaml', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'engine-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('has the documented defaults: embedded profile on 127.0.0.1:3002 with ./data', () => {
    const r = loadConfig({ ENGINE_ROOT: root }, '/');
    expect(r.ok && r.config).toMatchObject({ host: '127.0.0.1', port: 3002, dataDir: join(root, 'data'), redisUrl: null, databaseUrl: null, shadow: false });
  });

  it('names every bad variable', () => {
    const r = loadConfig({ ENGINE_ROOT: root, PORT: 'eighty', REDIS_URL: 'redis://x:6379', SHUTDOWN_TIMEOUT: 'long', LOG_LEVEL: 'loud' }, '/');
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.join('\n');
    for (const name of ['PORT=eighty', 'REDIS_URL and DATABASE_URL', 'SHUTDOWN_TIMEOUT=long', 'LOG_LEVEL=loud']) expect(errors).toContain(name);
  });

  it('reads the sources of docs/runtime.md, with secrets from the environment', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/runtime.md'), 'utf8');
    const yaml = /```yaml\n(sources:[\s\S]*?)```/.exec(doc)![1]!;
    writeFileSync(join(root, 'engine.config.yaml'), yaml);
    const env = {
      ENGINE_ROOT: root,
      UPTIME_KUMA_TOKEN: 'a-token-of-32-characters-or-more!',
      UPTIME_KUMA_STAGING_TOKEN: 'the-staging-kuma-token-0123',
      AM_PROD_TOKEN: 'the-production-alertmanager-token',
      AM_STAGING_TOKEN: 'the-staging-alertmanager-token',
      MY_APP_SECRET: 'a-shared-secret-0123456789',
      SAFEGUARD_TOKEN: 'the-safeguard-request-token',
    };
    const r = loadConfig(env, '/');
    if (!r.ok) throw new Error(r.errors.join('; '));
    const table = buildSourceTable(r.config.sources);
    if (!table.ok) throw new Error(JSON.stringify(table.errors));
    expect([...table.table.keys()].sort()).toEqual(['am-prod', 'am-staging', 'my-app', 'observium', 'safeguard', 'uptime-kuma', 'uptime-kuma-staging']);
    expect(table.table.get('safeguard')).toMatchObject({ normalizer: 'safeguard', auth: { bearer: 'the-safeguard-request-token' } });
    expect(table.table.get('uptime-kuma')!.auth).toEqual({ bearer: 'a-token-of-32-characters-or-more!' });
    expect(table.table.get('uptime-kuma-staging')).toMatchObject({ normalizer: 'uptime-kuma', options: { hostFrom: ['url-host'] }, auth: { bearer: 'the-staging-kuma-token-0123' } });
    expect(table.table.get('am-prod')).toMatchObject({ normalizer: 'alertmanager', auth: { bearer: 'the-production-alertmanager-token' } });
    expect(table.table.get('am-staging')).toMatchObject({ options: { serviceLabels: ['app', 'job'] }, auth: { bearer: 'the-staging-alertmanager-token' } });
    expect(table.table.get('my-app')!.auth).toEqual({ hmac: { secret: 'a-shared-secret-0123456789', header: 'x-signature' } });
  });

  it('refuses a source whose secret variable is not set', () => {
    writeFileSync(join(root, 'engine.config.yaml'), 'sources:\n  - { name: alertmanager, normalizer: alertmanager, auth: { bearer_env: AM_TOKEN } }\n');
    const r = loadConfig({ ENGINE_ROOT: root }, '/');
    expect(r.ok ? [] : r.errors).toEqual([expect.stringContaining('environment variable AM_TOKEN is not set')]);
  });
});
