export interface Notification {
  channel: string;
  severity: 'info' | 'warning' | 'critical';
  subject: string;
  /** The text part. */
  body: string;
  /** Who it is for, when the channel does not say (mail addresses, chat handles). */
  to?: string[];
  /** Links to show with it (an approval page, a ticket). */
  links?: { label: string; url: string }[];
  /** An HTML part, for channels that render it (mail); the text body stays the fallback. */
  html?: string;
}

export interface Notifier {
  /** `key`: the effect id, the same when a notification is sent again after a crash (a dedup key). */
  send(notification: Notification, options?: { key?: string }): Promise<void>;
}
