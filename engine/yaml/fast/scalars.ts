import { isScalar, Schema, type ScalarTag } from 'yaml';
import { Unsupported } from './unsupported.ts';

/**
 * Scalar values for the fast path, exactly as the full loader reads them: plain scalars are
 * resolved by the yaml library's own YAML 1.2 core-schema tags (same tests, same resolve
 * functions, in the same order), quoted scalars are unescaped by the YAML rules. Anything the
 * fast path does not handle (an unknown escape) is Unsupported, and the full loader decides.
 */

const CORE_TAGS: readonly ScalarTag[] = new Schema({ schema: 'core', customTags: [], resolveKnownTags: false, merge: false }).tags.filter(
  (t): t is ScalarTag => t.default === true && 'test' in t && t.test instanceof RegExp,
);

const RESOLVE_OPTIONS = { intAsBigInt: false } as const;

/**
 * First characters a core-schema null, boolean or number can have (`~`, `null`, `true`, `-1`,
 * `.5`, `.inf`, `0x1F`...): a plain scalar starting with any other character is a string
 * without testing every tag (checked against the tags by test/yaml/fast-differential.test.ts).
 */
export const NON_STRING_START = new Set([...'~nNtTfF-+.0123456789']);

/** The value of a plain scalar: null, a boolean, a number or the text itself. */
export function resolvePlain(text: string): string | number | boolean | null {
  if (text.length > 0 && !NON_STRING_START.has(text[0]!)) return text;
  return resolveByTags(text);
}

/** The core-schema tags tried in order, as the yaml library's composer does. */
export function resolveByTags(text: string): string | number | boolean | null {
  for (const tag of CORE_TAGS) {
    if (!tag.test!.test(text)) continue;
    let failed = false;
    const resolved: unknown = tag.resolve(text, () => (failed = true), RESOLVE_OPTIONS);
    if (failed) throw Unsupported;
    // Some tags answer a Scalar node (a float keeps its written precision): its value is the value.
    const value: unknown = isScalar(resolved) ? resolved.value : resolved;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    throw Unsupported;
  }
  return text;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * A double-quoted scalar on one line, `start` at the opening quote: its value and the offset
 * just past the closing quote. A line break inside is Unsupported (the full loader folds it).
 */
export function readDoubleQuoted(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  let from = i;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c) || c === 10) throw Unsupported;
    if (c === 34) {
      out += text.slice(from, i);
      return { value: out, end: i + 1 };
    }
    if (c !== 92) {
      i++;
      continue;
    }
    out += text.slice(from, i);
    const e = text[i + 1];
    if (e === undefined) throw Unsupported;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (e in HEX_LENGTH) {
      const n = HEX_LENGTH[e]!;
      const hex = text.slice(i + 2, i + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw Unsupported;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw Unsupported;
      out += String.fromCodePoint(code);
      i += 2 + n;
    } else throw Unsupported;
    from = i;
  }
}

/** A single-quoted scalar on one line (`''` is a quote). */
export function readSingleQuoted(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  let from = i;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c) || c === 10) throw Unsupported;
    if (c === 39) {
      out += text.slice(from, i);
      if (text.charCodeAt(i + 1) === 39) {
        out += "'";
        i += 2;
        from = i;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    i++;
  }
}

/**
 * The value of a block scalar from its content lines (indentation removed, blank lines as ''),
 * with the trailing blank lines counted apart. Folded lines are joined with spaces and blank
 * lines between them kept as line breaks; a more-indented line in a folded scalar is
 * Unsupported (its line breaks are kept by rules the fast path does not implement).
 */
export function blockValue(kind: 'literal' | 'folded', chomp: 'clip' | 'strip' | 'keep', lines: readonly string[], trailingBlank: number): string {
  let body: string;
  if (kind === 'literal') body = lines.join('\n');
  else {
    body = '';
    let pendingBlank = 0;
    lines.forEach((line, i) => {
      if (line === '') {
        pendingBlank++;
        return;
      }
      if (line.startsWith(' ')) throw Unsupported;
      if (i > 0) body += pendingBlank > 0 ? '\n'.repeat(pendingBlank) : ' ';
      pendingBlank = 0;
      body += line;
    });
  }
  if (chomp === 'strip') return body;
  if (chomp === 'clip') return `${body}\n`;
  return `${body}\n${'\n'.repeat(trailingBlank)}`;
}
