import { describe, expect, it } from 'vitest';
import { readNotifyConfig } from '../../../runtime/adapters/notify/config.ts';

const ENV = { SMTP_USER: 'heal', SMTP_PASSWORD: 'pw-secret-value', SLACK_OPS_WEBHOOK: 'https://hooks.slack.com/services/T0/B0/slack-secret-token', NOT_A_URL: 'hooks.slack.com/x-secret', FTP_URL: 'ftp://x.example/secret-ftp' };

describe('readNotifyConfig', () => {
  it('no section: everything goes to the log, 20 per minute per channel', () => {
    expect(readNotifyConfig(undefined, {})).toEqual({
      ok: true,
      value: { channels: {}, default: ['log'], targets: { log: { name: 'log', type: 'log' } }, rate: { perChannel: 20, perMs: 60_000 } },
    });
  });

  it('reads the documented example; secrets from the environment; the built-in log target', () => {
    const r = readNotifyConfig(
      {
        channels: { ops: ['mail-ops', 'slack-ops'], approvals: ['mail-ops'], escalation: ['slack-ops', 'log'] },
        default: ['log'],
        targets: {
          'mail-ops': { type: 'smtp', host: 'mail.example.org', port: 587, user_env: 'SMTP_USER', password_env: 'SMTP_PASSWORD', from: 'heal@example.org', to: ['ops@example.org'] },
          'slack-ops': { type: 'slack', url_env: 'SLACK_OPS_WEBHOOK' },
        },
        rate: { per_channel: 5, per: '10m' },
      },
      ENV,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.targets['mail-ops']).toEqual({
      name: 'mail-ops', type: 'smtp', host: 'mail.example.org', port: 587, secure: false, requireTls: false,
      auth: { user: 'heal', pass: 'pw-secret-value' }, from: 'heal@example.org', to: ['ops@example.org'], notificationTo: 'add', timeoutMs: 10_000,
    });
    expect(r.value.targets['slack-ops']).toEqual({ name: 'slack-ops', type: 'slack', url: ENV.SLACK_OPS_WEBHOOK, timeoutMs: 10_000 });
    expect(r.value.targets['log']).toEqual({ name: 'log', type: 'log' });
    expect(r.value.rate).toEqual({ perChannel: 5, perMs: 600_000 });
    expect(r.value.channels['escalation']).toEqual(['slack-ops', 'log']);
  });

  it('port 465 means TLS, and secure: true means 465', () => {
    const a = readNotifyConfig({ targets: { m: { type: 'smtp', host: 'h', port: 465, from: 'a@b.c', to: ['x@y.z'] } } }, {});
    const b = readNotifyConfig({ targets: { m: { type: 'smtp', host: 'h', secure: true, from: 'a@b.c', to: ['x@y.z'] } } }, {});
    expect(a.ok && a.value.targets['m']).toMatchObject({ secure: true, port: 465, auth: null });
    expect(b.ok && b.value.targets['m']).toMatchObject({ secure: true, port: 465 });
  });

  it('names the path of each error, and never shows a secret', () => {
    const r = readNotifyConfig(
      {
        channels: { ops: ['mail-ops', 'nowhere'], approvals: [], technicians: ['slack-ops', 'slack-ops'] },
        default: 'log',
        targets: {
          'mail-ops': { type: 'smtp', host: '', port: 70000, user_env: 'SMTP_USER', from: 'not-an-address', to: ['ok@example.org', 'bad'], notification_to: 'replace', secure: true, require_tls: true },
          'slack-ops': { type: 'slack', url_env: 'MISSING_WEBHOOK' },
          'slack-bad': { type: 'slack', url_env: 'NOT_A_URL', timeout: 'soon' },
          'slack-ftp': { type: 'discord', url_env: 'FTP_URL' },
          'no-url': { type: 'discord' },
          lower: { type: 'slack', url_env: 'lower_case' },
          teams: { type: 'teams' },
          'bad name': { type: 'log' },
          x: { type: 'log', extra: 1 },
        },
        rate: { per_channel: 0, per: 'never' },
        extra: true,
      },
      ENV,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'notifiers: unknown key(s) extra (expected channels, default, targets, rate)',
      'notifiers.targets.mail-ops.host: expected a host name',
      'notifiers.targets.mail-ops.port: expected an integer from 1 to 65535',
      'notifiers.targets.mail-ops.require_tls: goes with secure: false (STARTTLS); secure: true is TLS already',
      'notifiers.targets.mail-ops: user_env and password_env go together',
      'notifiers.targets.mail-ops.from: expected a mail address (name@domain, or "Name <name@domain>")',
      'notifiers.targets.mail-ops.to[1]: expected a mail address',
      'notifiers.targets.mail-ops.notification_to: expected add or ignore',
      'notifiers.targets.slack-ops.url_env: environment variable MISSING_WEBHOOK is not set',
      'notifiers.targets.slack-bad.url_env: the value of NOT_A_URL is not a URL (the value is not shown)',
      'notifiers.targets.slack-bad.timeout: expected a duration such as 10s, 1m',
      'notifiers.targets.slack-ftp.url_env: the value of FTP_URL is not an http(s) URL (the value is not shown)',
      'notifiers.targets.no-url.url_env: required (the name of an environment variable)',
      'notifiers.targets.lower.url_env: expected the name of an environment variable (A-Z, 0-9, _)',
      'notifiers.targets.teams.type: expected smtp, slack, discord or log',
      'notifiers.targets.bad name: a target name is letters, digits, - and _ (at most 64)',
      'notifiers.targets.x: unknown key(s) extra (expected type)',
      'notifiers.channels.ops[1]: no target named "nowhere" under notifiers.targets',
      'notifiers.channels.approvals: expected a non-empty list of target names',
      'notifiers.channels.technicians: a target is named twice',
      'notifiers.default: expected a non-empty list of target names',
      'notifiers.rate.per_channel: expected an integer from 1 to 100000',
      'notifiers.rate.per: expected a duration such as 10s, 1m',
    ]);
    const all = r.errors.join('\n');
    for (const secret of ['pw-secret-value', 'slack-secret-token', 'x-secret', 'secret-ftp']) expect(all).not.toContain(secret);
  });

  it('a target named but broken is reported once, not again where a channel names it', () => {
    const r = readNotifyConfig({ channels: { ops: ['slack-ops'] }, targets: { 'slack-ops': { type: 'slack', url_env: 'MISSING' } } }, {});
    expect(r).toEqual({ ok: false, errors: ['notifiers.targets.slack-ops.url_env: environment variable MISSING is not set'] });
  });

  it('not a mapping', () => {
    expect(readNotifyConfig([], {})).toEqual({ ok: false, errors: ['notifiers: expected a mapping (channels, default, targets, rate)'] });
    expect(readNotifyConfig({ targets: [] }, {})).toEqual({ ok: false, errors: ['notifiers.targets: expected a mapping of target names'] });
  });
});
