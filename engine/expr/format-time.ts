/**
 * `format_time(ts, pattern, zone)`: an instant (epoch ms or ISO string) written in a time zone
 * with Intl.DateTimeFormat, deterministic given its input. Tokens: YYYY MM DD HH mm ss SSS;
 * text in [brackets] is literal, any other character is kept. Zone defaults to UTC.
 */
const TOKEN = /\[([^\]]*)\]|YYYY|SSS|MM|DD|HH|mm|ss/g;
const FORMATTER_LIMIT = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return null;
    }
    if (formatters.size >= FORMATTER_LIMIT) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

export function formatTime(ms: number, pattern: string, zone: string): string | null {
  const f = zoneFormatter(zone);
  if (f === null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  const year = (parts.year ?? '').padStart(4, '0');
  const values: Record<string, string> = { YYYY: year, MM: parts.month ?? '', DD: parts.day ?? '', HH: parts.hour ?? '', mm: parts.minute ?? '', ss: parts.second ?? '', SSS: millis };
  return pattern.replace(TOKEN, (token: string, literal: string | undefined) => (literal !== undefined ? literal : (values[token] ?? token)));
}
