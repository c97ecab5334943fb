import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../../engine/ports/notifier.ts';
import { readNotifyConfig, type NotifyConfig } from '../../../runtime/adapters/notify/config.ts';
import { ChannelNotifier } from '../../../runtime/adapters/notify/notifier.ts';
import { ManualClock } from '../../../runtime/inmemory/manual-clock.ts';
import { createLogger } from '../../../runtime/observability/logger.ts';
import { findPart, parseMime } from './mime.ts';

/**
 * The channel notifier end to end: mail to a real SMTP server started here (smtp-server, AUTH
 * required), Slack and Discord webhooks to a local node:http receiver, both on ephemeral ports.
 * What is checked is what the receivers got.
 */

interface Mail {
  from: string;
  rcpt: string[];
  user: unknown;
  raw: string;
}

let smtp: SMTPServer;
let smtpPort: number;
const mails: Mail[] = [];

let hooks: Server;
let hooksPort: number;
const posts: { path: string; headers: Record<string, unknown>; json: unknown }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'heal' && auth.password === 'smtp-secret') cb(null, { user: 'heal' });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@slow.example')) return; // never answers RCPT TO
      if (address.address.endsWith('@refused.example')) cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({ from: from === false ? '' : from.address, rcpt: session.envelope.rcptTo.map((r) => r.address), user: session.user, raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  smtpPort = (smtp.server.address() as AddressInfo).port;

  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/slow') return; // never answers
      posts.push({ path, headers: req.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      if (path.startsWith('/fail')) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      else if (path.startsWith('/discord')) res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  hooks.listen(0, '127.0.0.1');
  await once(hooks, 'listening');
  hooksPort = (hooks.address() as AddressInfo).port;
});

afterAll(async () => {
  hooks.closeAllConnections();
  hooks.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

beforeEach(() => {
  mails.length = 0;
  posts.length = 0;
});

function env(): Record<string, string> {
  const hook = (p: string): string => `http://127.0.0.1:${hooksPort}${p}`;
  return {
    SMTP_USER: 'heal',
    SMTP_PASSWORD: 'smtp-secret',
    SMTP_BAD_PASSWORD: 'wrong',
    SLACK_OPS_WEBHOOK: hook('/slack/T000/B000/slack-token'),
    DISCORD_OPS_WEBHOOK: hook('/discord/123/discord-token'),
    FAILING_WEBHOOK: hook('/fail'),
    SLOW_WEBHOOK: hook('/slow'),
  };
}

function mailTarget(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'smtp', host: '127.0.0.1', port: smtpPort, secure: false, user_env: 'SMTP_USER', password_env: 'SMTP_PASSWORD', from: 'Heal Engine <heal@example.org>', to: ['ops@example.org'], timeout: '5s', ...extra };
}

function configOf(raw: unknown): NotifyConfig {
  const r = readNotifyConfig(raw, env());
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
}

interface LogLine {
  level: number;
  msg: string;
  target?: string;
  reason?: string;
  notification?: { channel: string; subject: string };
  body?: string;
}

function notifier(raw: unknown, clock = new ManualClock(Date.parse('2026-12-04T12:00:00Z'))): { n: ChannelNotifier; lines: LogLine[]; clock: ManualClock } {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) } });
  return { n: new ChannelNotifier(configOf(raw), { logger, clock }), lines, clock };
}

const allThree = (): { channels: Record<string, string[]>; targets: Record<string, unknown> } => ({
  channels: { ops: ['mail-ops', 'slack-ops', 'discord-ops'], approvals: ['mail-ops', 'slack-ops', 'discord-ops'] },
  targets: {
    'mail-ops': mailTarget(),
    'slack-ops': { type: 'slack', url_env: 'SLACK_OPS_WEBHOOK' },
    'discord-ops': { type: 'discord', url_env: 'DISCORD_OPS_WEBHOOK' },
  },
});

const DOWN: Notification = {
  channel: 'ops',
  severity: 'critical',
  subject: 'GLPI is down',
  body: "GLPI's API does not answer: connect ECONNREFUSED.\nFlows that need GLPI run in degraded mode.",
  to: ['oncall@example.org', '@alice'],
  links: [{ label: 'Run', url: 'https://heal.example.org/runs/run_1' }, { label: 'Ticket 42', url: 'https://glpi.example.org/front/ticket.form.php?id=42' }],
};

describe('mail over SMTP', () => {
  it('a real SMTP server (AUTH required) receives From, To, Subject, the text and HTML parts, the links and the key header', async () => {
    const { n } = notifier({ channels: { ops: ['mail-ops'] }, targets: { 'mail-ops': mailTarget() } });
    await n.send(DOWN, { key: 'eff_run_1:alert:0' });
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.user).toBe('heal');
    expect(m.from).toBe('heal@example.org');
    // The target's `to` plus the notification's mail addresses; the chat handle is not a recipient.
    expect(m.rcpt).toEqual(['ops@example.org', 'oncall@example.org']);
    const mail = parseMime(m.raw);
    expect(mail.headers.get('from')).toBe('Heal Engine <heal@example.org>');
    expect(mail.headers.get('to')).toBe('ops@example.org, oncall@example.org');
    expect(mail.headers.get('subject')).toBe('[CRITICAL] GLPI is down');
    expect(mail.headers.get('x-heal-key')).toBe('eff_run_1:alert:0');
    expect(mail.headers.get('x-heal-channel')).toBe('ops');
    expect(mail.headers.get('message-id')).toBe('<eff_run_1_alert_0.mail-ops@heal-engine>');
    const text = findPart(mail, 'text/plain')!.body;
    const html = findPart(mail, 'text/html')!.body;
    expect(text).toContain('Failure (critical): GLPI is down');
    expect(text).toContain("GLPI's API does not answer: connect ECONNREFUSED.\nFlows that need GLPI run in degraded mode.");
    expect(text).toContain('Run: https://heal.example.org/runs/run_1');
    expect(text).toContain('Ticket 42: https://glpi.example.org/front/ticket.form.php?id=42');
    expect(text).toContain('key eff_run_1:alert:0');
    expect(html).toContain('<a href="https://heal.example.org/runs/run_1">Run</a>');
    expect(html).toContain('<a href="https://glpi.example.org/front/ticket.form.php?id=42">Ticket 42</a>');
    expect(html).toContain('GLPI&#39;s API does not answer');
    expect(html).toContain('🚨');
  });

  it("the notification's html: is the HTML part, and the links are still in both parts", async () => {
    const { n } = notifier({ channels: { ops: ['mail-ops'] }, targets: { 'mail-ops': mailTarget() } });
    await n.send({ ...DOWN, severity: 'info', subject: 'Report', html: '<table><tr><td>42 tickets</td></tr></table>' });
    const mail = parseMime(mails[0]!.raw);
    expect(findPart(mail, 'text/html')!.body).toContain('<table><tr><td>42 tickets</td></tr></table>');
    expect(findPart(mail, 'text/html')!.body).toContain('href="https://heal.example.org/runs/run_1"');
    expect(findPart(mail, 'text/plain')!.body).toContain('Run: https://heal.example.org/runs/run_1');
    expect(mail.headers.get('x-heal-key')).toBeUndefined();
  });

  it('notification_to: ignore sends to the target\'s to: only', async () => {
    const { n } = notifier({ channels: { ops: ['mail-ops'] }, targets: { 'mail-ops': mailTarget({ notification_to: 'ignore' }) } });
    await n.send(DOWN);
    expect(mails[0]!.rcpt).toEqual(['ops@example.org']);
  });

  it('approval links come first in both parts, as buttons in HTML', async () => {
    const { n } = notifier(allThree());
    await n.send({ channel: 'approvals', severity: 'warning', subject: 'Approval needed: restart_service nginx', body: 'Decide with: engine approve run_1 --step ask', links: [{ label: 'Approve or reject', url: 'https://heal.example.org/approvals/apr_1' }] });
    const mail = parseMime(mails[0]!.raw);
    const text = findPart(mail, 'text/plain')!.body;
    expect(text.indexOf('Approve or reject: https://heal.example.org/approvals/apr_1')).toBeLessThan(text.indexOf('Decide with'));
    const html = findPart(mail, 'text/html')!.body;
    expect(html).toMatch(/<a href="https:\/\/heal.example.org\/approvals\/apr_1" style="display:inline-block[^"]*">Approve or reject<\/a>/);
    expect(html.indexOf('apr_1')).toBeLessThan(html.indexOf('Decide with'));
  });
});

describe('Slack and Discord webhooks', () => {
  it('one notification fans out to mail, Slack and Discord; the payloads carry severity, subject, body and links', async () => {
    const { n } = notifier(allThree());
    const report = await n.deliver(DOWN, { key: 'eff_1' });
    expect(report).toEqual({
      channel: 'ops',
      routed: ['mail-ops', 'slack-ops', 'discord-ops'],
      rateLimited: false,
      results: [{ target: 'mail-ops', ok: true }, { target: 'slack-ops', ok: true }, { target: 'discord-ops', ok: true }],
    });
    expect(mails).toHaveLength(1);
    const slack = posts.find((p) => p.path.startsWith('/slack'))!;
    expect(slack.headers['content-type']).toBe('application/json');
    expect(slack.headers['x-heal-key']).toBe('eff_1');
    expect(slack.json).toEqual({
      text: '🚨 GLPI is down',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🚨 GLPI is down', emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '*Failure* · critical · channel ops · for oncall@example.org, @alice · key eff_1' }] },
        { type: 'section', text: { type: 'mrkdwn', text: DOWN.body } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'link_0', text: { type: 'plain_text', text: 'Run' }, url: 'https://heal.example.org/runs/run_1' },
            { type: 'button', action_id: 'link_1', text: { type: 'plain_text', text: 'Ticket 42' }, url: 'https://glpi.example.org/front/ticket.form.php?id=42' },
          ],
        },
      ],
    });
    const discord = posts.find((p) => p.path.startsWith('/discord'))!;
    expect(discord.json).toEqual({
      content: '🚨 **Failure**: GLPI is down\nfor oncall@example.org, @alice',
      embeds: [
        {
          title: 'GLPI is down',
          description: DOWN.body,
          color: 0xd63031,
          fields: [
            { name: 'Run', value: 'https://heal.example.org/runs/run_1', inline: false },
            { name: 'Ticket 42', value: 'https://glpi.example.org/front/ticket.form.php?id=42', inline: false },
          ],
          footer: { text: 'heal-engine · critical · channel ops · key eff_1' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('escalation shows its links before the body (Slack: a danger button first; Discord: in the content)', async () => {
    const { n } = notifier({ channels: { escalation: ['slack-ops', 'discord-ops'] }, targets: allThree().targets });
    await n.send({ channel: 'escalation', severity: 'critical', subject: '[N2] nginx keeps failing', body: 'Three restarts did not help.', links: [{ label: 'Open the run', url: 'https://heal.example.org/runs/run_9' }] });
    const slack = posts.find((p) => p.path.startsWith('/slack'))!.json as { blocks: { type: string; elements?: { style?: string }[] }[] };
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'context', 'actions', 'section']);
    expect(slack.blocks[2]!.elements![0]!.style).toBe('danger');
    const discord = posts.find((p) => p.path.startsWith('/discord'))!.json as { content: string };
    expect(discord.content).toBe('🚨 **Escalation**: [N2] nginx keeps failing\n➡️ [Open the run](<https://heal.example.org/runs/run_9>)');
  });

  it('long bodies are cut for the chats, with a note; mail keeps the whole body', async () => {
    const { n } = notifier(allThree());
    const body = 'é'.repeat(10_000);
    await n.send({ channel: 'ops', severity: 'info', subject: 'Summary', body });
    const slack = posts.find((p) => p.path.startsWith('/slack'))!.json as { blocks: { type: string; text?: { text: string } }[] };
    const section = slack.blocks.find((b) => b.type === 'section')!.text!.text;
    expect(Array.from(section).length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/\n… \(cut: \d+ more characters\)$/);
    const discord = posts.find((p) => p.path.startsWith('/discord'))!.json as { embeds: { description: string }[] };
    expect(Array.from(discord.embeds[0]!.description).length).toBeLessThanOrEqual(3500);
    expect(discord.embeds[0]!.description).toMatch(/\n… \(cut: \d+ more characters\)$/);
    expect(findPart(parseMime(mails[0]!.raw), 'text/plain')!.body).toContain(body);
  });

  it('a Discord embed stays within 6000 characters: links are fields while they fit, the rest counted in a note', async () => {
    const { n } = notifier({ channels: { ops: ['discord-ops'] }, targets: allThree().targets });
    const links = Array.from({ length: 20 }, (_, i) => ({ label: `link ${i}`, url: `https://heal.example.org/${String(i).padStart(2, '0')}/${'p'.repeat(900)}` }));
    await n.send({ channel: 'ops', severity: 'info', subject: 's'.repeat(300), body: 'b'.repeat(5000), links });
    const embed = (posts[0]!.json as { embeds: { title: string; description: string; fields: { name: string; value: string }[]; footer: { text: string } }[] }).embeds[0]!;
    const size = embed.title.length + embed.description.length + embed.footer.text.length + embed.fields.reduce((a, f) => a + f.name.length + f.value.length, 0);
    expect(size).toBeLessThanOrEqual(6000);
    expect(embed.title.length).toBeLessThanOrEqual(256);
    const linkFields = embed.fields.filter((f) => f.name !== 'Links');
    expect(linkFields.length).toBeGreaterThan(0);
    expect(linkFields.every((f, i) => f.value === links[i]!.url)).toBe(true); // whole URLs, in order
    expect(embed.fields.at(-1)).toEqual({ name: 'Links', value: `${20 - linkFields.length} more link(s) not shown`, inline: false });
  });

  it('Slack text is escaped (no <!channel> or links injected by a body)', async () => {
    const { n } = notifier({ channels: { ops: ['slack-ops'] }, targets: allThree().targets });
    await n.send({ channel: 'ops', severity: 'warning', subject: 'a < b & c', body: '<!channel> <https://evil.example|click>' });
    const slack = posts[0]!.json as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(slack.text).toBe('⚠️ a &lt; b &amp; c');
    expect(slack.blocks.find((b) => b.type === 'section')!.text!.text).toBe('&lt;!channel&gt; &lt;https://evil.example|click&gt;');
  });
});

describe('failures are recorded, and the other targets still get it', () => {
  it('a webhook answering 500: logged with the target and reason, counted in health(); mail and Discord delivered; send resolves', async () => {
    const { n, lines, clock } = notifier({
      channels: { ops: ['mail-ops', 'slack-bad', 'discord-ops'] },
      targets: { 'mail-ops': mailTarget(), 'slack-bad': { type: 'slack', url_env: 'FAILING_WEBHOOK' }, 'discord-ops': { type: 'discord', url_env: 'DISCORD_OPS_WEBHOOK' } },
    });
    await expect(n.send(DOWN)).resolves.toBeUndefined();
    expect(mails).toHaveLength(1);
    expect(posts.map((p) => p.path).sort()).toEqual(['/discord/123/discord-token', '/fail']);
    const warn = lines.find((l) => l.target === 'slack-bad')!;
    expect(warn.level).toBe(40);
    expect(warn.reason).toBe('HTTP 500: internal error');
    expect(warn.msg).toBe('notify ops: target slack-bad failed: HTTP 500: internal error');
    const health = n.health();
    expect(health.ok).toBe(false);
    expect(health.targets['slack-bad']).toEqual({ sent: 0, failed: 1, ok: false, lastFailure: { at: new Date(clock.now()).toISOString(), reason: 'HTTP 500: internal error' } });
    expect(health.targets['mail-ops']).toMatchObject({ sent: 1, failed: 0, ok: true, lastFailure: null });
  });

  it('SMTP refusing the login or the recipient fails that target only', async () => {
    const { n } = notifier({
      channels: { ops: ['mail-bad-login', 'mail-refused', 'slack-ops'] },
      targets: {
        'mail-bad-login': mailTarget({ password_env: 'SMTP_BAD_PASSWORD' }),
        'mail-refused': mailTarget({ to: ['nobody@refused.example'], notification_to: 'ignore' }),
        'slack-ops': { type: 'slack', url_env: 'SLACK_OPS_WEBHOOK' },
      },
    });
    const report = await n.deliver(DOWN);
    expect(report.results.map((r) => [r.target, r.ok])).toEqual([['mail-bad-login', false], ['mail-refused', false], ['slack-ops', true]]);
    expect(report.results[0]!.reason).toMatch(/Invalid login|Invalid username or password/);
    expect(report.results[1]!.reason).toMatch(/550|mailbox unavailable|recipients/i);
    expect(mails).toHaveLength(0);
    expect(posts).toHaveLength(1);
    await expect(n.send(DOWN)).resolves.toBeUndefined();
  });

  it('a webhook that does not answer in time fails its target', async () => {
    const { n } = notifier({ channels: { ops: ['slow', 'discord-ops'] }, targets: { slow: { type: 'slack', url_env: 'SLOW_WEBHOOK', timeout: '200ms' }, 'discord-ops': { type: 'discord', url_env: 'DISCORD_OPS_WEBHOOK' } } });
    const report = await n.deliver(DOWN);
    expect(report.results).toEqual([{ target: 'slow', ok: false, reason: 'no answer within 200 ms' }, { target: 'discord-ops', ok: true }]);
  });

  it('an SMTP server that stops answering fails its target within the timeout', async () => {
    const { n } = notifier({ channels: { ops: ['mail-slow', 'slack-ops'] }, targets: { 'mail-slow': mailTarget({ to: ['x@slow.example'], notification_to: 'ignore', timeout: '300ms' }), 'slack-ops': { type: 'slack', url_env: 'SLACK_OPS_WEBHOOK' } } });
    const report = await n.deliver(DOWN);
    expect(report.results[0]).toMatchObject({ target: 'mail-slow', ok: false });
    expect(report.results[0]!.reason).toMatch(/no answer within 300 ms|timeout/i);
    expect(report.results[1]).toEqual({ target: 'slack-ops', ok: true });
    await n.close();
  });

  it('every target failing: send rejects with NOTIFY_FAILED, not retryable, each reason in its details', async () => {
    const { n } = notifier({ channels: { ops: ['slack-bad', 'mail-refused'] }, targets: { 'slack-bad': { type: 'slack', url_env: 'FAILING_WEBHOOK' }, 'mail-refused': mailTarget({ to: ['x@refused.example'], notification_to: 'ignore' }) } });
    const error = (await n.send(DOWN).catch((e: unknown) => e)) as { code: string; retryable: boolean; message: string; details: { channel: string; failures: { target: string; reason: string }[] } };
    expect(error.code).toBe('NOTIFY_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^notification to ops not delivered: slack-bad: HTTP 500: internal error; mail-refused: /);
    expect(error.details.channel).toBe('ops');
    expect(error.details.failures.map((f) => f.target)).toEqual(['slack-bad', 'mail-refused']);
  });
});

describe('routing and the rate limit', () => {
  it('a channel the configuration does not route goes to default (the log, as before)', async () => {
    const { n, lines } = notifier({ channels: { ops: ['slack-ops'] }, targets: allThree().targets });
    expect(n.route('technicians')).toEqual(['log']);
    await n.send({ channel: 'technicians', severity: 'warning', subject: 'Check the switch', body: 'port 12' });
    expect(posts).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'notify technicians: Check the switch', body: 'port 12', notification: expect.objectContaining({ channel: 'technicians' }) })]);
  });

  it('per channel, on the injected clock: over the limit is not sent, logged with a reason, counted; the bucket refills', async () => {
    const { n, lines, clock } = notifier({ channels: { ops: ['slack-ops'], approvals: ['discord-ops'] }, targets: allThree().targets, rate: { per_channel: 2, per: '1m' } });
    const ops = (i: number): Notification => ({ channel: 'ops', severity: 'info', subject: `ops ${i}`, body: '' });
    expect((await n.deliver(ops(1))).rateLimited).toBe(false);
    expect((await n.deliver(ops(2))).rateLimited).toBe(false);
    const third = await n.deliver(ops(3));
    expect(third).toEqual({ channel: 'ops', routed: ['slack-ops'], rateLimited: true, results: [] });
    await expect(n.send(ops(4))).resolves.toBeUndefined(); // held back, not a failure
    // Another channel has its own bucket.
    expect((await n.deliver({ channel: 'approvals', severity: 'warning', subject: 'apr', body: '' })).rateLimited).toBe(false);
    expect(posts.map((p) => (p.json as { text?: string; content?: string }).text ?? (p.json as { content: string }).content)).toEqual(['ℹ️ ops 1', 'ℹ️ ops 2', '⚠️ **Approval needed**: apr']);
    expect(lines.filter((l) => l.reason === 'rate_limited').map((l) => l.notification!.subject)).toEqual(['ops 3', 'ops 4']);
    expect(n.health().rateLimited).toEqual({ ops: 2 });
    clock.advance(29_999); // 2 per minute: one token every 30 s
    expect((await n.deliver(ops(5))).rateLimited).toBe(true);
    clock.advance(1);
    expect((await n.deliver(ops(6))).rateLimited).toBe(false);
    expect((await n.deliver(ops(7))).rateLimited).toBe(true);
    clock.advance(10 * 60_000); // refills to the capacity, not beyond
    expect((await n.deliver(ops(8))).rateLimited).toBe(false);
    expect((await n.deliver(ops(9))).rateLimited).toBe(false);
    expect((await n.deliver(ops(10))).rateLimited).toBe(true);
  });

  it('describe() is one line naming channels and targets, with no secret; close() closes the transports', async () => {
    const { n } = notifier({ ...allThree(), default: ['log'] });
    const line = n.describe();
    expect(line).toBe(
      `notifiers: ops → mail-ops (smtp 127.0.0.1:${smtpPort}), slack-ops (slack 127.0.0.1:${hooksPort}), discord-ops (discord 127.0.0.1:${hooksPort}); ` +
        `approvals → mail-ops (smtp 127.0.0.1:${smtpPort}), slack-ops (slack 127.0.0.1:${hooksPort}), discord-ops (discord 127.0.0.1:${hooksPort}); other channels → log (log); at most 20 per 60 s per channel`,
    );
    expect(line).not.toMatch(/token|secret/);
    expect(n.health()).toMatchObject({ ok: true, rateLimited: {} });
    await n.close();
  });
});
