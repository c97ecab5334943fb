import type { Cursor } from './cursor.ts';
import type { FastMap, FastNode, FastScalar, FastSeq } from './nodes.ts';
import { readDoubleQuoted, readSingleQuoted, resolvePlain } from './scalars.ts';
import type { Tracker } from './tracker.ts';
import { Unsupported } from './unsupported.ts';

/** Characters that cannot start a plain scalar (or start one the fast path leaves to the full loader). */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?:']);

export function plainStart(c: string | undefined, next: string | undefined): boolean {
  if (c === undefined || NOT_PLAIN_START.has(c) || c === ' ' || c === '\n') return false;
  // `-x` and `-1` are plain; `- ` is a sequence entry
  return c !== '-' || (next !== undefined && next !== ' ' && next !== '\n' && !NOT_PLAIN_START.has(next));
}

/**
 * Flow collections written on one line, `{ a: b, c: [x, "y"] }`: what playbooks use for short
 * steps. A line break, a comment, an empty entry, an implicit pair or a `:` inside a plain
 * scalar is Unsupported. Returns the node and the offset just past it.
 */
export function readFlow(cur: Cursor, tracker: Tracker, p: number): { node: FastNode; end: number } {
  const text = cur.text;
  const isSeq = text[p] === '[';
  const close = isSeq ? ']' : '}';
  const seq: FastSeq = { kind: 'seq', start: p, items: [], value: [] };
  const map: FastMap = { kind: 'map', start: p, pairs: [], value: {} };
  tracker.enter();
  let q = cur.skipSpaces(p + 1);
  if (text[q] !== close) {
    for (;;) {
      let end: number;
      if (isSeq) {
        const item = flowItem(cur, tracker, q);
        tracker.item(seq, item.node);
        end = item.end;
      } else {
        const key = flowKey(cur, q);
        const value = flowItem(cur, tracker, cur.skipSpaces(key.end + 2));
        tracker.pair(map, key.text, key.node, value.node);
        end = value.end;
      }
      q = cur.skipSpaces(end);
      if (text[q] === close) break;
      if (text[q] !== ',') throw Unsupported;
      q = cur.skipSpaces(q + 1);
      if (text[q] === close || text[q] === ',') throw Unsupported; // a trailing or an empty entry
    }
  }
  tracker.leave();
  return { node: isSeq ? seq : map, end: q + 1 };
}

function flowItem(cur: Cursor, tracker: Tracker, q: number): { node: FastNode; end: number } {
  const text = cur.text;
  const c = text[q];
  if (c === '[' || c === '{') return readFlow(cur, tracker, q);
  if (c === '"' || c === "'") {
    const r = c === '"' ? readDoubleQuoted(text, q) : readSingleQuoted(text, q);
    return { node: scalar(q, q + 1, r.value), end: r.end };
  }
  if (c === '*') {
    const end = nameEnd(cur, q + 1);
    return { node: tracker.alias(text.slice(q + 1, end), q), end };
  }
  if (c === '&') {
    const end = nameEnd(cur, q + 1);
    if (text[end] !== ' ') throw Unsupported;
    const name = tracker.anchorName(text.slice(q + 1, end));
    const r = cur.skipSpaces(end);
    if (text[r] === '&') throw Unsupported;
    const inner = flowItem(cur, tracker, r);
    tracker.anchored(name, inner.node);
    return inner;
  }
  const end = plainEnd(cur, q);
  return { node: scalar(q, q, resolvePlain(text.slice(q, end))), end };
}

/** A plain scalar in a flow collection: up to `,`, `]` or `}`; trailing spaces are not part of it. */
function plainEnd(cur: Cursor, q: number): number {
  const text = cur.text;
  if (!plainStart(text[q], text[q + 1])) throw Unsupported;
  let i = q;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === '\n' || c === ':' || c === '[' || c === '{' || c === '#') throw Unsupported;
    if (c === ',' || c === ']' || c === '}') break;
    i++;
  }
  let e = i;
  while (text[e - 1] === ' ') e--;
  return e;
}

/** A key in a flow mapping, quoted or plain, followed at once by `: `. */
function flowKey(cur: Cursor, q: number): { text: string; node: FastScalar; end: number } {
  const text = cur.text;
  const c = text[q];
  let value: string;
  let end: number;
  let node: FastScalar;
  if (c === '"' || c === "'") {
    const r = c === '"' ? readDoubleQuoted(text, q) : readSingleQuoted(text, q);
    value = r.value;
    end = r.end;
    node = scalar(q, q + 1, value);
  } else {
    if (!plainStart(c, text[q + 1])) throw Unsupported;
    end = q;
    while (end < text.length && !',[]{}#\n:'.includes(text[end]!)) end++;
    value = text.slice(q, end);
    if (value.endsWith(' ') || value.length > 1024) throw Unsupported;
    node = scalar(q, q, resolvePlain(value));
  }
  if (text[end] !== ':' || text[end + 1] !== ' ') throw Unsupported;
  return { text: value, node, end };
}

function nameEnd(cur: Cursor, from: number): number {
  let i = from;
  while (i < cur.length && !' \n,[]{}'.includes(cur.text[i]!)) i++;
  return i;
}

export function scalar(start: number, contentStart: number, value: string | number | boolean | null): FastScalar {
  return { kind: 'scalar', start, contentStart, value };
}
