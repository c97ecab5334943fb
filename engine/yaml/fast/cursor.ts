import { Unsupported } from './unsupported.ts';

/**
 * Line-level reading of the text for the fast path: where lines and content start, blanks,
 * comments. Every position is an offset into the text the full loader parses too.
 */
export class Cursor {
  // The last nextContent answer: a value is followed by a look at the next line, then its parent
  // looks at the same line again.
  #lastFrom = -1;
  #lastContent = -1;
  #lastLineStart = 0;

  constructor(readonly text: string) {}

  get length(): number {
    return this.text.length;
  }

  /** End of line: the offset of its `\n`, or the text's length. */
  eol(p: number): number {
    const i = this.text.indexOf('\n', p);
    return i === -1 ? this.text.length : i;
  }

  /** 0-based column of an offset: the line's indentation when `p` is its first content character. */
  column(p: number): number {
    if (p === this.#lastContent) return p - this.#lastLineStart;
    return p - (this.text.lastIndexOf('\n', p - 1) + 1);
  }

  skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === 32) p++;
    return p;
  }

  /** At a line break or the end of the text. */
  atEnd(p: number): boolean {
    return p >= this.text.length || this.text.charCodeAt(p) === 10;
  }

  /** A `#` that starts a comment: after a space, or first on its line. */
  atComment(p: number): boolean {
    if (this.text.charCodeAt(p) !== 35) return false;
    const before = this.text.charCodeAt(p - 1);
    return p === 0 || before === 32 || before === 10;
  }

  /**
   * After a value: only spaces and a comment may follow on the line. Returns where the next line
   * starts (or the text's length); anything else on the line is Unsupported.
   */
  endOfLine(p: number): number {
    const q = this.skipSpaces(p);
    if (this.atEnd(q)) return Math.min(q + 1, this.text.length);
    if (this.atComment(q)) return Math.min(this.eol(q) + 1, this.text.length);
    throw Unsupported;
  }

  /**
   * The first content character of the next line that has one, from a line start: blank lines
   * and comment lines are skipped. -1 at the end of the text. A document marker (`---`, `...`)
   * at the start of a line is Unsupported, unless `allowStart` (the leading `---`).
   */
  nextContent(lineStart: number, allowStart = false): number {
    if (lineStart === this.#lastFrom && !allowStart) return this.#lastContent;
    let p = lineStart;
    while (p < this.text.length) {
      const q = this.skipSpaces(p);
      if (this.atEnd(q)) {
        p = q + 1;
        continue;
      }
      if (this.text.charCodeAt(q) === 35) {
        p = this.eol(q) + 1;
        continue;
      }
      if (q === p && this.isMarker(q) && !allowStart) throw Unsupported;
      return this.#remember(lineStart, q, p);
    }
    return this.#remember(lineStart, -1, 0);
  }

  #remember(from: number, content: number, lineStart: number): number {
    this.#lastFrom = from;
    this.#lastContent = content;
    this.#lastLineStart = lineStart;
    return content;
  }

  /** `---` or `...` followed by a space or the end of the line. */
  isMarker(p: number): boolean {
    const three = this.text.slice(p, p + 3);
    return (three === '---' || three === '...') && (this.atEnd(p + 3) || this.text.charCodeAt(p + 3) === 32);
  }

  /** `-` followed by a space or a line end: a block sequence entry. */
  isSeqEntry(p: number): boolean {
    return this.text.charCodeAt(p) === 45 && (this.atEnd(p + 1) || this.text.charCodeAt(p + 1) === 32);
  }
}
