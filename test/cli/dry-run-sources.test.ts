import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cliSourceTable, normalizeBody } from '../../cli/testing/normalize.ts';
import { REPO } from '../support/fixture-project.ts';

const run = promisify(execFile);

const CONFIG = `sources:
  - name: am-prod
    type: alertmanager
    auth: { bearer_env: AM_PROD_TOKEN_NOT_SET_HERE }
  - name: am-staging
    type: alertmanager
    options: { serviceLabels: [alertname] }
`;

const PLAYBOOK = `apiVersion: heal/v1
kind: Playbook
metadata: { name: prod-only, version: "1" }
on: { webhook: am-prod, when: event.status == "down" }
steps:
  - { id: note, use: value, with: { service: "\${event.service}" } }
`;

describe('dry-run and engine test normalize for the named sources of engine.config.yaml', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a configured source gives its own name, fingerprint prefix and mapping; no secret is needed offline', () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-cli-sources-'));
    writeFileSync(join(dir, 'engine.config.yaml'), CONFIG);
    const table = cliSourceTable({ ENGINE_ROOT: dir }, dir);
    expect([...table.keys()].sort()).toEqual(['am-prod', 'am-staging', 'generic', 'observium', 'safeguard', 'uptime-kuma']);
    const body = JSON.parse(readFileSync(join(REPO, 'examples/alertmanager/firing.json'), 'utf8')) as unknown;
    const [prod] = normalizeBody(body, 'am-prod', Date.parse('2026-11-21T23:00:00Z'), table);
    const [staging] = normalizeBody(body, 'am-staging', Date.parse('2026-11-21T23:00:00Z'), table);
    expect(prod).toMatchObject({ source: 'am-prod', service: 'nginx', fingerprint: 'am-prod:20ede38dd603808f' });
    expect(staging).toMatchObject({ source: 'am-staging', service: 'ServiceDown' });
    expect(() => normalizeBody(body, 'alertmanager', 0, table)).toThrow(/unknown source "alertmanager"; known: am-prod, am-staging/);
  });

  it('engine dry-run --source am-prod runs the playbook that listens to am-prod', async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-cli-sources-'));
    writeFileSync(join(dir, 'engine.config.yaml'), CONFIG);
    cpSync(join(REPO, 'intents'), join(dir, 'intents'), { recursive: true });
    writeFileSync(join(dir, 'prod-only.yaml'), PLAYBOOK);
    const { stdout } = await run(process.execPath, [join(REPO, 'bin/engine.js'), 'dry-run', '--event', join(REPO, 'examples/alertmanager/firing.json'), '--source', 'am-prod', '--playbooks', 'prod-only.yaml', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(stdout)).toMatchObject({ playbook: { name: 'prod-only' }, outcome: 'succeeded', path: ['note'] });
  });

  it('engine test runs a case whose raw body comes from am-prod', async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-cli-sources-'));
    writeFileSync(join(dir, 'engine.config.yaml'), CONFIG);
    cpSync(join(REPO, 'intents'), join(dir, 'intents'), { recursive: true });
    mkdirSync(join(dir, 'playbooks/tests'), { recursive: true });
    writeFileSync(join(dir, 'playbooks/prod-only.yaml'), PLAYBOOK);
    const body = readFileSync(join(REPO, 'examples/alertmanager/firing.json'), 'utf8');
    writeFileSync(
      join(dir, 'playbooks/tests/prod-only.yaml'),
      `playbook: prod-only\ncases:\n  - name: an am-prod alert\n    now: "2026-11-21T23:00:00Z"\n    source: am-prod\n    event: ${body.replace(/\n\s*/g, ' ')}\n    expect: { path: [note], outcome: succeeded }\n`,
    );
    const { stdout } = await run(process.execPath, [join(REPO, 'bin/engine.js'), 'test', 'playbooks'], { cwd: dir });
    expect(stdout).toMatch(/^1 passed, 0 failed$/m);
  });
});
