import type { Logger } from 'pino';
import type { Notification, Notifier } from '../../engine/ports/notifier.ts';

/**
 * Until a mail or chat notifier is configured, notifications go to the structured log, where the
 * on-call engineer's log search finds them (one line each, with the run's channel and severity).
 */
export class LogNotifier implements Notifier {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  async send(n: Notification): Promise<void> {
    const level = n.severity === 'critical' ? 'error' : n.severity === 'warning' ? 'warn' : 'info';
    const extra = { ...(n.to ? { to: n.to } : {}), ...(n.links ? { links: n.links } : {}), ...(n.html !== undefined ? { htmlBytes: n.html.length } : {}) };
    this.#logger[level]({ notification: { channel: n.channel, severity: n.severity, subject: n.subject, ...extra }, body: n.body }, `notify ${n.channel}: ${n.subject}`);
  }
}
