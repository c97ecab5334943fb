import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';

/**
 * First stage of loading: turn the raw file into text the YAML parser may see. The size is
 * refused before anything else is done, bytes must be strict UTF-8, and characters YAML 1.2
 * does not allow (C0/C1 controls, lone surrogates) are refused because the yaml lexer uses
 * some of them as in-band markers.
 */
export type SourceText = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

// YAML 1.2 c-printable, inverted: what may not appear in a stream. Lone surrogates only come
// from string input (strict decoding never produces them).
const NOT_PRINTABLE =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function readSourceText(file: string, content: Uint8Array | string, maxBytes: number): SourceText {
  const size = typeof content === 'string' ? utf8LengthAtLeast(content, maxBytes) : content.byteLength;
  if (size > maxBytes) {
    const what = typeof content === 'string' ? `more than ${maxBytes}` : String(size);
    return fail('FILE_TOO_LARGE', `file is ${what} bytes; the limit is ${maxBytes} bytes`, { file, line: 1, column: 1 });
  }
  let text: string;
  if (typeof content === 'string') {
    text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  } else {
    try {
      text = strictUtf8.decode(content); // also drops a leading BOM
    } catch {
      const bad = firstInvalidUtf8(content);
      const at = bad ?? { offset: 0, reason: 'is not valid UTF-8' };
      const byte = content[at.offset] ?? 0;
      const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      return fail('INVALID_UTF8', `invalid UTF-8: byte ${hex} ${at.reason}`, byteLocation(file, content, at.offset), {
        hint: 'save the file as UTF-8',
      });
    }
  }
  const m = NOT_PRINTABLE.exec(text);
  if (m) {
    const code = m[0].charCodeAt(0);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const loc = textLocation(file, text, m.index);
    if (code >= 0xd800 && code <= 0xdfff) return fail('INVALID_UTF8', `invalid text: lone surrogate ${name}`, loc);
    return fail('YAML_SYNTAX', `character ${name} is not allowed in YAML text`, loc, {
      hint: 'control characters may only appear as escapes in double-quoted strings',
    });
  }
  return { ok: true, text };
}

function fail(code: Diagnostic['code'], message: string, location: Diagnostic['location'], extra: { hint?: string } = {}): SourceText {
  return { ok: false, diagnostics: [diagnostic(code, message, location, extra)] };
}

/** UTF-8 length of a string, counting no further than just past `limit` (a cheap bound first). */
function utf8LengthAtLeast(s: string, limit: number): number {
  if (s.length > limit) return s.length; // every UTF-16 unit takes at least one byte
  if (s.length * 3 <= limit) return s.length; // and at most three
  let n = 0;
  for (let i = 0; i < s.length && n <= limit; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Offset of the lead byte of the first malformed sequence, and what is wrong with it. */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; reason: string } | null {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0xc0) return { offset: i, reason: 'is a continuation byte without a lead byte' };
    if (b < 0xc2) return { offset: i, reason: 'starts an overlong encoding' };
    if (b < 0xe0) need = 1;
    else if (b < 0xf0) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b < 0xf5) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { offset: i, reason: 'never appears in UTF-8' };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return { offset: i, reason: 'starts a sequence cut short by the end of the file' };
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c < min || c > max) {
        if (k === 1 && c >= 0x80 && c <= 0xbf) {
          if (b === 0xe0 || b === 0xf0) return { offset: i, reason: 'starts an overlong encoding' };
          if (b === 0xed) return { offset: i, reason: 'starts an encoded surrogate' };
          return { offset: i, reason: 'starts a code point above U+10FFFF' };
        }
        return { offset: i, reason: 'starts a sequence that is cut short' };
      }
    }
    i += need + 1;
  }
  return null;
}

/** Line and column (in UTF-16 units, as for parsed text) of a byte offset in valid-up-to-there UTF-8. */
function byteLocation(file: string, bytes: Uint8Array, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = lenientUtf8.decode(bytes.subarray(lineStart, offset)).length + 1;
  return { file, line, column };
}

/** Line and column of an offset in text, counting LF as the line break as the parser does. */
function textLocation(file: string, text: string, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}
