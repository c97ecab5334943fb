import type { Notification } from '../../../engine/ports/notifier.ts';

/**
 * The templates: one renderer per target type, each turning a Notification into that target's
 * message. A Notification carries no "kind", so the template is chosen from its channel and
 * severity (kindOf): `approvals` → approval, `escalation` → escalation (both show their links
 * first and prominently), otherwise critical → failure, warning → warning, info → info (success
 * and recovery messages, summaries). Bodies are bounded for the chats (Slack, Discord): a cut
 * body ends with a note that says how much was left out.
 */

type Kind = 'approval' | 'escalation' | 'failure' | 'warning' | 'info';

function kindOf(n: Notification): Kind {
  if (n.channel === 'approvals') return 'approval';
  if (n.channel === 'escalation') return 'escalation';
  return n.severity === 'critical' ? 'failure' : n.severity === 'warning' ? 'warning' : 'info';
}

const HEADING: Record<Kind, string> = { approval: 'Approval needed', escalation: 'Escalation', failure: 'Failure', warning: 'Warning', info: 'Info' };
const EMOJI: Record<Notification['severity'], string> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };
const COLOUR: Record<Notification['severity'], number> = { info: 0x2e86de, warning: 0xf0a500, critical: 0xd63031 };

function prominent(kind: Kind): boolean {
  return kind === 'approval' || kind === 'escalation';
}

/** Cuts text to at most `max` characters (code points kept whole), ending with a note. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const note = (left: number): string => `\n… (cut: ${left} more characters)`;
  const keep = Math.max(0, max - note(chars.length).length);
  return chars.slice(0, keep).join('') + note(chars.length - keep);
}

function cutPlain(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

// ---------------------------------------------------------------- mail

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Mail has no length limit that matters here; the subject is one line. */
export function renderMail(n: Notification, key?: string): MailMessage {
  const kind = kindOf(n);
  const links = n.links ?? [];
  const subject = `[${n.severity.toUpperCase()}] ${n.subject}`.replace(/[\r\n]+/g, ' ');
  const linkText = links.map((l) => `${l.label}: ${l.url}`).join('\n');
  const footer = `-- heal-engine, channel ${n.channel}${key ? `, key ${key}` : ''}`;
  const text = [
    `${HEADING[kind]} (${n.severity}): ${n.subject}`,
    ...(prominent(kind) && links.length > 0 ? ['', linkText] : []),
    '',
    n.body,
    ...(!prominent(kind) && links.length > 0 ? ['', 'Links:', linkText] : []),
    '',
    footer,
  ].join('\n');

  const colour = `#${COLOUR[n.severity].toString(16).padStart(6, '0')}`;
  const linkHtml = links.length === 0 ? '' : prominent(kind)
    ? `<p>${links.map((l) => `<a href="${escapeHtml(l.url)}" style="display:inline-block;padding:8px 14px;margin:0 8px 8px 0;background:${colour};color:#fff;text-decoration:none;border-radius:4px;font-weight:bold">${escapeHtml(l.label)}</a>`).join('')}</p>`
    : `<ul>${links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`;
  const header = `<h2 style="border-left:6px solid ${colour};padding-left:8px">${EMOJI[n.severity]} ${escapeHtml(HEADING[kind])}: ${escapeHtml(n.subject)}</h2>`;
  const content = n.html !== undefined ? n.html : `<p style="white-space:pre-wrap">${escapeHtml(n.body)}</p>`;
  const html = [
    '<!doctype html><html><body>',
    header,
    prominent(kind) ? linkHtml : '',
    content,
    prominent(kind) ? '' : linkHtml,
    `<p style="color:#888;font-size:small">${escapeHtml(footer.replace(/^-- /, ''))}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

// ---------------------------------------------------------------- Slack

/** Slack: a section's text is at most 3000 characters, a header 150, a button's text 75, 25 elements per actions block. */
const SLACK = { header: 150, section: 3000, button: 75, buttons: 25, text: 3000 } as const;

function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackPayload {
  text: string;
  blocks: unknown[];
}

export function renderSlack(n: Notification, key?: string): SlackPayload {
  const kind = kindOf(n);
  const links = (n.links ?? []).slice(0, SLACK.buttons);
  const actions = links.length === 0 ? [] : [{
    type: 'actions',
    elements: links.map((l, i) => ({
      type: 'button',
      action_id: `link_${i}`,
      text: { type: 'plain_text', text: cutPlain(l.label, SLACK.button) },
      url: l.url,
      ...(prominent(kind) && i === 0 ? { style: kind === 'escalation' ? 'danger' : 'primary' } : {}),
    })),
  }];
  const context = [`*${HEADING[kind]}* · ${n.severity} · channel ${slackEscape(n.channel)}`, ...(n.to?.length ? [`for ${slackEscape(n.to.join(', '))}`] : []), ...(key ? [`key ${slackEscape(key)}`] : [])].join(' · ');
  const body = n.body === '' ? [] : [{ type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(n.body), SLACK.section) } }];
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: cutPlain(`${EMOJI[n.severity]} ${n.subject}`, SLACK.header), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ...(prominent(kind) ? [...actions, ...body] : [...body, ...actions]),
  ];
  // `text` is the notification preview and the fallback of clients that do not show blocks.
  return { text: cut(`${EMOJI[n.severity]} ${slackEscape(n.subject)}`, SLACK.text), blocks };
}

// ---------------------------------------------------------------- Discord

/** Discord: content at most 2000 characters; an embed's title 256, description 4096, 25 fields (name 256, value 1024), footer 2048, 6000 in all. */
const DISCORD = { content: 2000, title: 256, description: 3500, fields: 10, fieldName: 100, fieldValue: 1024, footer: 300, embed: 6000 } as const;

export interface DiscordPayload {
  content: string;
  embeds: unknown[];
  allowed_mentions: { parse: never[] };
}

export function renderDiscord(n: Notification, key?: string): DiscordPayload {
  const kind = kindOf(n);
  const md = (l: { label: string; url: string }): string => `[${l.label.replace(/[[\]]/g, '')}](<${l.url}>)`;
  const all = n.links ?? [];
  const title = cutPlain(n.subject, DISCORD.title);
  const description = n.body === '' ? undefined : cut(n.body, DISCORD.description);
  const footer = cutPlain(`heal-engine · ${n.severity} · channel ${n.channel}${key ? ` · key ${key}` : ''}`, DISCORD.footer);
  // An embed holds at most 6000 characters in all: links are fields while they fit (a URL is never cut).
  let budget = DISCORD.embed - Array.from(title).length - Array.from(description ?? '').length - Array.from(footer).length;
  const fields: { name: string; value: string; inline: boolean }[] = [];
  for (const l of all) {
    const name = cutPlain(l.label, DISCORD.fieldName);
    const size = Array.from(name).length + l.url.length;
    if (fields.length >= DISCORD.fields || l.url.length > DISCORD.fieldValue || size > budget) break;
    fields.push({ name, value: l.url, inline: false });
    budget -= size;
  }
  if (fields.length < all.length) {
    const note = `${all.length - fields.length} more link(s) not shown`;
    if (budget >= note.length + 5) fields.push({ name: 'Links', value: note, inline: false });
  }
  const content = cut(
    [`${EMOJI[n.severity]} **${HEADING[kind]}**: ${n.subject}`, ...(prominent(kind) ? all.map((l) => `➡️ ${md(l)}`) : []), ...(n.to?.length ? [`for ${n.to.join(', ')}`] : [])].join('\n'),
    DISCORD.content,
  );
  const embed = { title, ...(description === undefined ? {} : { description }), color: COLOUR[n.severity], fields, footer: { text: footer } };
  // No @everyone, @here or role pings from a notification's text.
  return { content, embeds: [embed], allowed_mentions: { parse: [] } };
}
