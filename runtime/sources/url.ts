import { EVENT_LIMITS } from '../../schemas/event.ts';

/** WHATWG URL parsing is pure computation (no I/O); anything it refuses yields null. */
function parse(text: unknown): URL | null {
  if (typeof text !== 'string' || text === '' || text.length > EVENT_LIMITS.urlLength) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The host part of a URL without port or IPv6 brackets (`http://[::1]:80/` → `::1`). */
export function urlHost(text: unknown): string | null {
  const url = parse(text);
  if (url === null || url.hostname === '') return null;
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * A link safe to show people: http(s) only (no javascript: or data: in an approval
 * page) and without user:password, which some monitors keep in the checked URL.
 */
export function linkUrl(text: unknown): string | null {
  const url = parse(text);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  url.username = '';
  url.password = '';
  const href = url.href;
  return href.length > EVENT_LIMITS.urlLength ? null : href;
}

/** `web-1:9100` → `web-1`, `[::1]:9100` → `::1`; a bare IPv6 address is left alone. */
export function stripPort(text: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(text);
  if (bracketed !== null) return bracketed[1]!;
  const hostPort = /^([^:]+):\d+$/.exec(text);
  return hostPort !== null ? hostPort[1]! : text;
}
