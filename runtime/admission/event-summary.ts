/** One line for people, as `GET /events` shows it: "down nginx on web-1: Connection refused". */
export function eventSummary(event: Record<string, unknown>): string {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const status = text(event['status']) ?? 'event';
  const service = text(event['service']);
  const host = text(event['host']);
  const what = [service, host ? `on ${host}` : null].filter(Boolean).join(' ');
  const message = text(event['message']);
  const short = message && message.length > 160 ? `${message.slice(0, 159)}…` : message;
  return `${status}${what ? ` ${what}` : ''}${short ? `: ${short}` : ''}`;
}
