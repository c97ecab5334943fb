import type { Notification, Notifier } from '../../engine/ports/notifier.ts';
import { copyJson } from '../inmemory/json-copy.ts';

/** Sends nothing: records each notification in `sent`. */
export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];

  async send(notification: Notification): Promise<void> {
    this.sent.push(copyJson(notification, 'notification'));
  }
}
