import type { ParsedUrlQuery } from 'node:querystring';
import { decodeCursor, type FeedCursor } from '../../records/received-feed.ts';
import { httpError } from '../problem.ts';

/**
 * Query-string parameters of the read endpoints, validated: an unknown or repeated parameter is
 * a 400 (a typo such as `?stauts=failed` must not silently list everything).
 */

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_TEXT = 256;

export function queryParams(query: ParsedUrlQuery, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      throw badQuery(`unknown parameter "${name.slice(0, 64)}"; known: ${allowed.join(', ')}`, name);
    }
    if (typeof value !== 'string') throw badQuery(`parameter "${name}" is given more than once`, name);
    params.set(name, value);
  }
  return params;
}

/** `limit`: an integer from 1 to 500, 50 when absent. */
export function limitParam(params: Map<string, string>): number {
  const raw = params.get('limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw badQuery(`limit must be an integer from 1 to ${MAX_LIMIT}, got "${raw.slice(0, 32)}"`, 'limit');
  }
  return Number(raw);
}

/** A free text filter (a playbook, source or intent name), bounded; undefined when absent. */
export function textParam(params: Map<string, string>, name: string): string | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (raw === '' || raw.length > MAX_TEXT) throw badQuery(`${name} must be a text of 1 to ${MAX_TEXT} characters`, name);
  return raw;
}

/** One of a fixed list of values; undefined when absent. */
export function choiceParam<T extends string>(params: Map<string, string>, name: string, choices: readonly T[]): T | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw badQuery(`${name} must be one of ${choices.join(', ')}, got "${raw.slice(0, 64)}"`, name);
  }
  return raw as T;
}

/** An RFC 3339 time with its zone, returned as ISO UTC; undefined when absent. */
export function timeParam(params: Map<string, string>, name: string): string | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw badQuery(`${name} must be an RFC 3339 time with a zone (2026-11-21T23:00:00Z), got "${raw.slice(0, 64)}"`, name);
  return new Date(ms).toISOString();
}

/** `cursor`: the `next` of a previous page of GET /events; undefined when absent. */
export function cursorParam(params: Map<string, string>): FeedCursor | undefined {
  const raw = params.get('cursor');
  if (raw === undefined) return undefined;
  const decoded = decodeCursor(raw);
  if (!decoded.ok) throw badQuery(decoded.reason, 'cursor');
  return decoded.cursor;
}

function badQuery(message: string, parameter: string) {
  return httpError('BAD_QUERY', message, { body: { parameter } });
}

/** The filter without its absent parameters, so a store never sees `key: undefined`. */
export function present<T extends object>(filter: T): T {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as T;
}
