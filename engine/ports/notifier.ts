export interface Notification {
  channel: string;
  severity: 'info' | 'warning' | 'critical';
  subject: string;
  body: string;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}
