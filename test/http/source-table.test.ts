import { describe, expect, it } from 'vitest';
import { buildSourceTable, defaultSourceTable, normalizeWith } from '../../runtime/http/source-table.ts';
import { NORMALIZERS } from '../../runtime/sources/normalizer.ts';
import { example, RECEIVED_AT } from '../sources/examples.ts';

function errorsOf(configs: unknown[]): string[] {
  const built = buildSourceTable(configs);
  if (built.ok) throw new Error('expected configuration errors');
  return built.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('source table', () => {
  it('has the three tools by default, with their defaults and no auth', () => {
    const table = defaultSourceTable();
    expect([...table.keys()]).toEqual(['uptime-kuma', 'alertmanager', 'observium']);
    expect(table.get('observium')).toEqual({ name: 'observium', normalizer: 'observium', options: NORMALIZERS.observium.defaults, auth: null });
  });

  it('overrides options key by key and keeps the other sources', () => {
    const built = buildSourceTable([{ name: 'uptime-kuma', normalizer: 'uptime-kuma', options: { hostFrom: ['const:edge'] } }]);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const config = built.table.get('uptime-kuma')!;
    expect(config.options).toEqual({ ...NORMALIZERS['uptime-kuma'].defaults, hostFrom: ['const:edge'] });
    expect(built.table.has('alertmanager')).toBe(true);
    const outcome = normalizeWith(config, example('uptime-kuma/down.json'), RECEIVED_AT);
    expect(outcome.ok && outcome.events[0]!.host).toBe('edge');
  });

  it('names a generic source after itself and lowercases the HMAC header', () => {
    const built = buildSourceTable([
      { name: 'nagios', normalizer: 'generic', auth: { hmac: { secret: 's'.repeat(16), header: 'X-Signature' } } },
    ]);
    expect(built.ok && built.table.get('nagios')).toMatchObject({ options: { source: 'nagios' }, auth: { hmac: { header: 'x-signature' } } });
  });

  it('serves one normalizer under several names, each with its own options and auth', () => {
    const built = buildSourceTable([
      { name: 'am-prod', type: 'alertmanager', auth: { bearer: 'p'.repeat(16) } },
      { name: 'am-staging', normalizer: 'alertmanager', options: { serviceLabels: ['app'] }, auth: { bearer: 's'.repeat(16) } },
      { name: 'uptime-kuma', type: 'uptime-kuma' },
      { name: 'uptime-kuma-staging', type: 'uptime-kuma', options: { hostFrom: ['const:staging-1'] } },
    ]);
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    // An open /hooks/alertmanager would bypass the tokens of am-prod and am-staging (and feed the
    // playbooks that listen to "alertmanager"): once its normalizer is configured, a default is
    // served only when listed; observium is not configured and keeps its default.
    expect([...built.table.keys()].sort()).toEqual(['am-prod', 'am-staging', 'observium', 'uptime-kuma', 'uptime-kuma-staging']);
    const alone = buildSourceTable([{ name: 'uptime-kuma-staging', type: 'uptime-kuma' }]);
    expect(alone.ok && [...alone.table.keys()].sort()).toEqual(['alertmanager', 'observium', 'uptime-kuma-staging']);
    expect(built.table.get('am-prod')).toMatchObject({ normalizer: 'alertmanager', options: NORMALIZERS.alertmanager.defaults, auth: { bearer: 'p'.repeat(16) } });
    expect(built.table.get('am-staging')).toMatchObject({ options: { serviceLabels: ['app'], hostLabels: ['instance'] }, auth: { bearer: 's'.repeat(16) } });
    const staging = normalizeWith(built.table.get('uptime-kuma-staging')!, example('uptime-kuma/down.json'), RECEIVED_AT);
    const prod = normalizeWith(built.table.get('uptime-kuma')!, example('uptime-kuma/down.json'), RECEIVED_AT);
    expect(staging.ok && staging.events[0]).toMatchObject({ source: 'uptime-kuma-staging', host: 'staging-1', fingerprint: 'uptime-kuma-staging:monitor:1' });
    expect(prod.ok && prod.events[0]).toMatchObject({ source: 'uptime-kuma', host: 'web-1', fingerprint: 'uptime-kuma:monitor:1' });
  });

  it('reports located, clear errors', () => {
    expect(errorsOf([{ name: 'uptime-kuma', normalizer: 'uptime-kuma', options: { serviceFrom: ['nmae'] } }])).toEqual([
      expect.stringMatching(/^sources\[0\]\.options\/serviceFrom\/0: must match pattern/),
    ]);
    expect(errorsOf([{ name: 'alertmanager', normalizer: 'alertmanager', options: { stripPorts: true } }])).toEqual([
      'sources[0].options/stripPorts: unknown option "stripPorts"',
    ]);
    expect(errorsOf([{ name: 'x', normalizer: 'uptime-kumma' }])[0]).toMatch(/^sources\[0\]\.normalizer: unknown normalizer "uptime-kumma" \(did you mean "uptime-kuma"\?\)/);
    expect(errorsOf([{ name: 'Bad Name', normalizer: 'generic' }])[0]).toMatch(/^sources\[0\]\.name:/);
    expect(errorsOf([{ name: 'observium', normalizer: 'generic' }])[0]).toMatch(/^sources\[0\]\.name: "observium" is the name of the observium normalizer; a generic source needs another name/);
    expect(errorsOf([{ name: 'alertmanager', type: 'uptime-kuma' }])[0]).toMatch(/^sources\[0\]\.name: .*a uptime-kuma source needs another name/);
    expect(errorsOf([{ name: 'schedule', normalizer: 'generic' }])[0]).toMatch(/^sources\[0\]\.name: "schedule" is reserved/);
    expect(errorsOf([{ name: 'am-2', normalizer: 'alertmanager', type: 'alertmanager' }])[0]).toMatch(/^sources\[0\]\.type: give either normalizer or type/);
    expect(errorsOf([{ name: 'am-2', type: 'alertmanger' }])[0]).toMatch(/^sources\[0\]\.type: unknown normalizer "alertmanger" \(did you mean "alertmanager"\?\)/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic', options: { source: 'icinga' } }])[0]).toMatch(/^sources\[0\]\.options\/source:/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic', auth: { bearer: 'short' } }])[0]).toMatch(/at least 16/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic', auth: { hmac: { secret: 's'.repeat(16), header: 'bad header' } } }])[0]).toMatch(/^sources\[0\]\.auth\.hmac\.header:/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic', auth: { basic: 'x' } }])[0]).toMatch(/^sources\[0\]\.auth: auth must be/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic', extra: 1 }])).toEqual(['sources[0].extra: unknown key "extra" (expected name, normalizer or type, options, auth)']);
    expect(errorsOf(['nagios'])[0]).toMatch(/^sources\[0\]: a source must be an object/);
    expect(errorsOf([{ name: 'nagios', normalizer: 'generic' }, { name: 'nagios', normalizer: 'generic' }])).toEqual([
      'sources[1].name: source "nagios" is configured twice',
    ]);
  });
});
