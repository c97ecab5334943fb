import type { YamlLimits } from '../limits.ts';
import { Cursor } from './cursor.ts';
import { plainStart, readFlow, scalar } from './flow.ts';
import type { FastMap, FastNode, FastScalar, FastSeq } from './nodes.ts';
import { blockValue, readDoubleQuoted, readSingleQuoted, resolvePlain } from './scalars.ts';
import { Tracker } from './tracker.ts';
import { Unsupported } from './unsupported.ts';

/** A node and where reading goes on: the start of the line after the node's last line. */
interface Read {
  node: FastNode;
  next: number;
}

/** Characters the fast path leaves to the full loader wherever they are (tabs, CR, BOM, NEL, LS, PS). */
const UNSUPPORTED_TEXT = /[\t\r\ufeff\x85\u2028\u2029]/;

/**
 * The block structure of the YAML playbooks are written in: block mappings and sequences
 * (compact `- key: value` entries, a sequence at its key's indentation), one-line flow
 * collections, plain and quoted scalars on one line, literal and folded block scalars, comments,
 * anchors and aliases, one leading `---`. Returns the root node (null for an empty document);
 * anything else, including every error, is Unsupported.
 */
export function parseBlockDocument(text: string, limits: YamlLimits): FastNode | null {
  if (UNSUPPORTED_TEXT.test(text)) throw Unsupported;
  return new BlockParser(text, limits).document();
}

class BlockParser {
  readonly #cur: Cursor;
  readonly #text: string;
  readonly #t: Tracker;

  constructor(text: string, limits: YamlLimits) {
    this.#cur = new Cursor(text);
    this.#text = text;
    this.#t = new Tracker(limits);
  }

  document(): FastNode | null {
    const cur = this.#cur;
    let p = cur.nextContent(0, true);
    if (p === -1) return null;
    if (cur.column(p) === 0 && cur.isMarker(p)) {
      if (this.#text.startsWith('...', p)) throw Unsupported;
      p = cur.nextContent(cur.endOfLine(p + 3));
      if (p === -1) throw Unsupported; // `---` and nothing: the full loader places the empty node
    }
    if (this.#text[p] === '%') throw Unsupported;
    const { node, next } = this.#node(p, -1, false);
    if (cur.nextContent(next) !== -1) throw Unsupported;
    return node;
  }

  /** The node starting at `p`; `parent` is the indentation of the collection holding it. */
  #node(p: number, parent: number, mapValue: boolean): Read {
    const cur = this.#cur;
    if (cur.isSeqEntry(p)) return this.#seq(p, cur.column(p));
    if (this.#isKey(p)) return this.#map(p, cur.column(p));
    return this.#inline(p, parent, mapValue);
  }

  #map(p: number, indent: number): Read {
    const cur = this.#cur;
    const map: FastMap = { kind: 'map', start: p, pairs: [], value: {} };
    this.#t.enter();
    let next: number;
    for (;;) {
      const key = this.#key(p);
      const r = cur.skipSpaces(key.colon + 1);
      const value = cur.atEnd(r) || cur.atComment(r) ? this.#below(cur.endOfLine(r), indent, true) : this.#inline(r, indent, true);
      this.#t.pair(map, key.text, key.node, value.node);
      next = value.next;
      const s = cur.nextContent(next);
      if (s === -1) break;
      const col = cur.column(s);
      if (col < indent) break;
      if (col > indent) throw Unsupported;
      p = s; // #key refuses a line that is not a mapping entry
    }
    this.#t.leave();
    return { node: map, next };
  }

  #seq(p: number, indent: number): Read {
    const cur = this.#cur;
    const seq: FastSeq = { kind: 'seq', start: p, items: [], value: [] };
    this.#t.enter();
    let next: number;
    for (;;) {
      const r = cur.skipSpaces(p + 1);
      let item: Read;
      if (cur.atEnd(r) || cur.atComment(r)) item = this.#below(cur.endOfLine(r), indent, false);
      else if (cur.isSeqEntry(r)) item = this.#seq(r, cur.column(r));
      else if (this.#isKey(r)) item = this.#map(r, cur.column(r));
      else item = this.#inline(r, indent, false);
      this.#t.item(seq, item.node);
      next = item.next;
      const s = cur.nextContent(next);
      if (s === -1) break;
      const col = cur.column(s);
      if (col < indent || (col === indent && !cur.isSeqEntry(s))) break;
      if (col > indent) throw Unsupported;
      p = s;
    }
    this.#t.leave();
    return { node: seq, next };
  }

  /** A value on the lines below its key or `-`: more indented, or a sequence at a key's own indentation. */
  #below(lineStart: number, indent: number, mapValue: boolean): Read {
    const cur = this.#cur;
    const s = cur.nextContent(lineStart);
    if (s === -1) throw Unsupported; // an empty value: the full loader places its null
    const col = cur.column(s);
    if (col > indent) return this.#node(s, indent, mapValue);
    if (mapValue && col === indent && cur.isSeqEntry(s)) return this.#seq(s, col);
    throw Unsupported;
  }

  /** A value that starts on this line: anchor, alias, block scalar, flow collection or scalar. */
  #inline(p: number, parent: number, mapValue: boolean): Read {
    const cur = this.#cur;
    const text = this.#text;
    const c = text[p];
    if (c === '&') {
      let end = p + 1;
      while (end < text.length && text[end] !== ' ' && text[end] !== '\n') end++;
      const name = this.#t.anchorName(text.slice(p + 1, end));
      const r = cur.skipSpaces(end);
      let read: Read;
      if (cur.atEnd(r) || cur.atComment(r)) {
        const below = cur.endOfLine(r);
        if (text[cur.nextContent(below)] === '&') throw Unsupported; // a node has one anchor
        read = this.#below(below, parent, mapValue);
      }
      else if (text[r] === '&' || cur.isSeqEntry(r) || this.#isKey(r)) throw Unsupported;
      else read = this.#inline(r, parent, mapValue);
      this.#t.anchored(name, read.node);
      return read;
    }
    if (c === '|' || c === '>') return this.#blockScalar(p, parent);
    let node: FastNode;
    let end: number;
    if (c === '*') {
      end = p + 1;
      while (end < text.length && text[end] !== ' ' && text[end] !== '\n') end++;
      node = this.#t.alias(text.slice(p + 1, end), p);
    } else if (c === '[' || c === '{') {
      ({ node, end } = readFlow(cur, this.#t, p));
    } else if (c === '"' || c === "'") {
      const r = c === '"' ? readDoubleQuoted(text, p) : readSingleQuoted(text, p);
      node = scalar(p, p + 1, r.value);
      end = r.end;
    } else {
      ({ node, end } = this.#plain(p));
    }
    const next = cur.endOfLine(end);
    // A more indented line after a one-line value would continue it (a multi-line scalar).
    const s = cur.nextContent(next);
    if (s !== -1 && cur.column(s) > parent) throw Unsupported;
    return { node, next };
  }

  /** A plain scalar in block context, to the end of the line or a comment. */
  #plain(p: number): { node: FastScalar; end: number } {
    const text = this.#text;
    if (!plainStart(text[p], text[p + 1])) throw Unsupported;
    let i = p;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') break;
      if (c === '#' && text[i - 1] === ' ') break;
      if (c === ':' && (i + 1 >= text.length || text[i + 1] === ' ' || text[i + 1] === '\n')) throw Unsupported;
    }
    let e = i;
    while (text[e - 1] === ' ') e--;
    return { node: scalar(p, p, resolvePlain(text.slice(p, e))), end: e };
  }

  /** Where the `:` of a mapping entry starting at `p` is (`key: ...`, `"key": ...`); -1 when none does. */
  #keyColon(p: number): number {
    const text = this.#text;
    const c = text[p];
    if (c === '"' || c === "'") {
      try {
        const r = c === '"' ? readDoubleQuoted(text, p) : readSingleQuoted(text, p);
        return text[r.end] === ':' ? r.end : -1;
      } catch {
        return -1;
      }
    }
    if (!plainStart(c, text[p + 1])) return -1;
    for (let i = p; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 10 || (d === 35 && text.charCodeAt(i - 1) === 32)) return -1;
      if (d === 58) {
        const e = text.charCodeAt(i + 1);
        if (Number.isNaN(e) || e === 32 || e === 10) return i;
      }
    }
    return -1;
  }

  #isKey(p: number): boolean {
    return this.#keyColon(p) !== -1;
  }

  #key(p: number): { text: string; node: FastScalar; colon: number } {
    const text = this.#text;
    const colon = this.#keyColon(p);
    if (colon === -1) throw Unsupported;
    const after = text.charCodeAt(colon + 1);
    if (!Number.isNaN(after) && after !== 32 && after !== 10) throw Unsupported; // `"key":value`: left to the full loader
    const c = text[p];
    if (c === '"' || c === "'") {
      const value = (c === '"' ? readDoubleQuoted(text, p) : readSingleQuoted(text, p)).value;
      return { text: value, node: scalar(p, p + 1, value), colon };
    }
    const raw = text.slice(p, colon);
    if (raw.endsWith(' ') || raw.length > 1024) throw Unsupported;
    return { text: raw, node: scalar(p, p, resolvePlain(raw)), colon };
  }

  /** `|` or `>`, with `-` or `+` chomping, its content more indented than `parent`. */
  #blockScalar(p: number, parent: number): Read {
    const cur = this.#cur;
    const text = this.#text;
    if (parent < 0) throw Unsupported;
    const kind = text[p] === '|' ? 'literal' : 'folded';
    let q = p + 1;
    const chomp = text[q] === '-' ? 'strip' : text[q] === '+' ? 'keep' : 'clip';
    if (chomp !== 'clip') q++;
    if (text[q] !== undefined && text[q] !== ' ' && text[q] !== '\n') throw Unsupported; // an indentation indicator
    let pos = cur.endOfLine(q);
    const first = cur.skipSpaces(pos);
    if (cur.atEnd(first)) throw Unsupported; // empty, or blank lines first
    const indent = first - pos;
    if (indent <= parent) throw Unsupported;
    const lines: string[] = [];
    let blanks = 0;
    while (pos < text.length) {
      const end = cur.eol(pos);
      if (end === text.length) throw Unsupported; // no line break after the last line
      const k = cur.skipSpaces(pos) - pos;
      if (pos + k === end) {
        if (k > indent) throw Unsupported; // spaces beyond the indentation on a blank line
        blanks++;
      } else if (k < indent) break;
      else {
        for (; blanks > 0; blanks--) lines.push('');
        lines.push(text.slice(pos + indent, end));
      }
      pos = end + 1;
    }
    return { node: scalar(p, first, blockValue(kind, chomp, lines, blanks)), next: pos };
  }
}
