import type { EventSeverity } from '../../schemas/event.ts';

/**
 * Severity words the tools use (Alertmanager's `severity` label by convention,
 * Observium's ALERT_SEVERITY, an Uptime Kuma `severity` tag), case-insensitive.
 * Anything else is null: an unknown grade is not a reason to refuse an alert.
 */
const WORDS: Readonly<Record<string, EventSeverity>> = {
  critical: 'critical', crit: 'critical', fatal: 'critical', emergency: 'critical', alert: 'critical',
  error: 'critical', high: 'critical', page: 'critical', p1: 'critical',
  warning: 'warning', warn: 'warning', medium: 'warning', major: 'warning', minor: 'warning', p2: 'warning',
  info: 'info', informational: 'info', notice: 'info', low: 'info', none: 'info', ok: 'info', p3: 'info',
};

export function severityOf(word: unknown): EventSeverity | null {
  if (typeof word !== 'string' || word.length > 32) return null;
  const key = word.trim().toLowerCase();
  return Object.hasOwn(WORDS, key) ? WORDS[key]! : null;
}
