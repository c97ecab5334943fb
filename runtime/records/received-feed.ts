import type { EventRecord, FeedPosition, Positioned, Records, RefusalRecord } from './records.ts';

/**
 * GET /events: what came in, accepted events and refused requests in one list, newest first,
 * paged with a cursor. The order is total and immutable: (receivedAt, kind, seq) descending,
 * kind 1 for events and 0 for refusals (an event and a refusal received in the same millisecond
 * are ordered by kind). Each page asks each table for the rows after the cursor and merges them,
 * so a reader gets every row once however many arrive meanwhile (new rows sort before the cursor).
 */

export type ReceivedItem = ({ result: 'accepted' } & EventRecord) | ({ result: 'refused' } & RefusalRecord);

export interface ReceivedPage {
  items: ReceivedItem[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

export interface ReceivedFilter {
  source?: string;
  result?: 'accepted' | 'refused';
  limit: number;
  cursor?: FeedCursor;
}

/** A position in the merged order. */
export interface FeedCursor {
  receivedAt: string;
  kind: Kind;
  seq: number;
}

type Kind = 0 | 1;
const EVENT: Kind = 1;
const REFUSAL: Kind = 0;

export async function listReceived(records: Records, filter: ReceivedFilter): Promise<ReceivedPage> {
  // One more than the page from each side says whether anything is left after it.
  const ask = (kind: Kind) => ({
    limit: filter.limit + 1,
    ...(filter.source === undefined ? {} : { source: filter.source }),
    ...(filter.cursor === undefined ? {} : { before: beforeFor(kind, filter.cursor) }),
  });
  const [events, refusals] = await Promise.all([
    filter.result === 'refused' ? [] : records.eventsBefore(ask(EVENT)),
    filter.result === 'accepted' ? [] : records.refusalsBefore(ask(REFUSAL)),
  ]);
  const merged = [
    ...events.map((e) => tagged(EVENT, e, { result: 'accepted' as const, ...e.record })),
    ...refusals.map((r) => tagged(REFUSAL, r, { result: 'refused' as const, ...r.record })),
  ].sort((a, b) => compare(b.cursor, a.cursor));
  const page = merged.slice(0, filter.limit);
  const last = page.at(-1);
  return { items: page.map((m) => m.item), next: merged.length > filter.limit && last !== undefined ? encodeCursor(last.cursor) : null };
}

function tagged<T>(kind: Kind, positioned: Positioned<T>, item: ReceivedItem): { cursor: FeedCursor; item: ReceivedItem } {
  return { cursor: { ...positioned.position, kind }, item };
}

/**
 * The position in one table's (receivedAt, seq) order that matches "after the cursor" in the
 * merged order: the cursor's own seq in its own table; in the other, every row of the cursor's
 * millisecond (events sort before refusals there) or none of them.
 */
function beforeFor(kind: Kind, cursor: FeedCursor): FeedPosition {
  if (kind === cursor.kind) return { receivedAt: cursor.receivedAt, seq: cursor.seq };
  return { receivedAt: cursor.receivedAt, seq: kind < cursor.kind ? Number.MAX_SAFE_INTEGER : 0 };
}

function compare(a: FeedCursor, b: FeedCursor): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? -1 : 1;
  if (a.kind !== b.kind) return a.kind - b.kind;
  return a.seq - b.seq;
}

/** Opaque to clients: base64url of `[receivedAt, kind, seq]`. */
function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(JSON.stringify([cursor.receivedAt, cursor.kind, cursor.seq]), 'utf8').toString('base64url');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(text: string): { ok: true; cursor: FeedCursor } | { ok: false; reason: string } {
  const invalid = { ok: false as const, reason: 'cursor is not one this server gave (pass the "next" of the previous page as it is)' };
  if (text.length > 128 || !/^[A-Za-z0-9_-]+$/.test(text)) return invalid;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!Array.isArray(value) || value.length !== 3) return invalid;
  const [receivedAt, kind, seq] = value as unknown[];
  if (typeof receivedAt !== 'string' || !ISO.test(receivedAt) || (kind !== EVENT && kind !== REFUSAL)) return invalid;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return invalid;
  return { ok: true, cursor: { receivedAt, kind: kind === EVENT ? EVENT : REFUSAL, seq } };
}
