import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Notification } from '../../../engine/ports/notifier.ts';
import { LogNotifier } from '../../unconfigured/log-notifier.ts';
import type { LogTarget, NotifyTarget, SmtpTarget, WebhookTarget } from './config.ts';
import { renderDiscord, renderMail, renderSlack } from './render.ts';

/** One target of the configuration, able to deliver a notification; rejects with the reason when it could not. */
export interface Sender {
  readonly name: string;
  /** One line for the start-up log: no secret (no webhook URL, no password). */
  readonly description: string;
  send(n: Notification, key: string | undefined): Promise<void>;
  close(): Promise<void>;
}

const MAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;
const MAX_RECIPIENTS = 50;

/** A Message-ID made from the effect key and the target: the same for a notification sent again after a crash. */
function messageId(key: string, target: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return `<${safe(key)}.${safe(target)}@heal-engine>`;
}

/**
 * Mail over SMTP (nodemailer), with a text and an HTML part. Recipients: the target's `to`, plus
 * the notification's `to` entries that are mail addresses when `notification_to: add` (the
 * default; chat handles are skipped), at most 50, without duplicates.
 */
class SmtpSender implements Sender {
  readonly name: string;
  readonly description: string;
  readonly #target: SmtpTarget;
  readonly #transport: nodemailer.Transporter;

  constructor(target: SmtpTarget) {
    this.name = target.name;
    this.#target = target;
    this.description = `${target.name} (smtp ${target.host}:${target.port}${target.secure ? ' tls' : target.requireTls ? ' starttls' : ''})`;
    this.#transport = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      secure: target.secure,
      requireTLS: target.requireTls,
      ...(target.auth ? { auth: { user: target.auth.user, pass: target.auth.pass } } : {}),
      connectionTimeout: target.timeoutMs,
      greetingTimeout: target.timeoutMs,
      socketTimeout: target.timeoutMs,
    });
  }

  recipients(n: Notification): string[] {
    const extra = this.#target.notificationTo === 'add' ? (n.to ?? []).filter((a) => MAIL.test(a)) : [];
    const seen = new Set<string>();
    const out: string[] = [];
    for (const a of [...this.#target.to, ...extra]) {
      const k = a.toLowerCase();
      if (!seen.has(k) && out.length < MAX_RECIPIENTS) {
        seen.add(k);
        out.push(a);
      }
    }
    return out;
  }

  async send(n: Notification, key: string | undefined): Promise<void> {
    const to = this.recipients(n);
    if (to.length === 0) throw new Error('no recipient: the target has no to: and the notification names no mail address');
    const mail = renderMail(n, key);
    // nodemailer's timeouts are per phase (connect, greeting, each read): the whole send is bounded too.
    await withTimeout(this.#target.timeoutMs, this.#transport.sendMail({
      from: this.#target.from,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'X-Heal-Channel': n.channel, 'X-Heal-Severity': n.severity, ...(key ? { 'X-Heal-Key': key } : {}) },
      ...(key ? { messageId: messageId(key, this.name) } : {}),
    }));
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

/** Slack and Discord incoming webhooks: one JSON POST; anything but a 2xx is a failure (a redirect is not followed). */
class WebhookSender implements Sender {
  readonly name: string;
  readonly description: string;
  readonly #target: WebhookTarget;

  constructor(target: WebhookTarget) {
    this.name = target.name;
    this.#target = target;
    // The URL is the secret (it carries the webhook's token): only its host is shown.
    this.description = `${target.name} (${target.type} ${safeHost(target.url)})`;
  }

  async send(n: Notification, key: string | undefined): Promise<void> {
    const payload = this.#target.type === 'slack' ? renderSlack(n, key) : renderDiscord(n, key);
    const signal = AbortSignal.timeout(this.#target.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.#target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-heal-key': key } : {}) },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal,
      });
    } catch (e) {
      if (signal.aborted) throw new Error(`no answer within ${this.#target.timeoutMs} ms`);
      throw new Error(`request failed: ${causeOf(e)}`);
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    // The answer's text says why (Slack: invalid_payload, Discord: a JSON error); a short excerpt is kept.
    const text = await excerpt(res, 200);
    throw new Error(`HTTP ${res.status}${text ? `: ${text}` : ''}`);
  }

  async close(): Promise<void> {}
}

/** The structured log, as the server did before any notifier was configured. */
class LogSender implements Sender {
  readonly name: string;
  readonly description: string;
  readonly #log: LogNotifier;

  constructor(target: LogTarget, logger: Logger) {
    this.name = target.name;
    this.description = `${target.name} (log)`;
    this.#log = new LogNotifier(logger);
  }

  send(n: Notification): Promise<void> {
    return this.#log.send(n);
  }

  async close(): Promise<void> {}
}

export function createSender(target: NotifyTarget, logger: Logger): Sender {
  switch (target.type) {
    case 'smtp':
      return new SmtpSender(target);
    case 'slack':
    case 'discord':
      return new WebhookSender(target);
    case 'log':
      return new LogSender(target, logger);
  }
}

function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => {}); // a send that fails after the timeout is already reported
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The first `max` characters of an answer, without reading the rest. */
async function excerpt(res: Response, max: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  let text = '';
  const decoder = new TextDecoder();
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // a body cut short still says what it said
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, max).trim();
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(bad URL)';
  }
}

/** fetch's "fetch failed" hides the reason in its cause (ECONNREFUSED...). */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}
