/**
 * What a target may look like, whoever wrote it (a model, a playbook, the catalog itself).
 *
 * The seed's blocklist is kept as a first, explicit layer because its reasons read well
 * ("contains ';'"), but it lets newlines, a lone '&', spaces, '--options', '$VAR', globs and
 * Unicode look-alikes through. The rule that decides is the allowlist grammar below: ASCII
 * letters and digits first (so never an option), then a few punctuation marks, at most 128
 * characters, no "..". Nothing is trimmed or normalised: the string is judged as given.
 */

const BLOCKED_PATTERNS: readonly string[] = Object.freeze([';', '|', '&&', '||', '`', '$(', '${', '>', '<']);

const TARGET_MAX_LENGTH = 128;

/** JavaScript `$` without the m flag only matches at the very end, so "nginx\n" fails. */
const TARGET_GRAMMAR = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

const TARGET_GRAMMAR_TEXT = '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$ with no ".."';

export type TargetTextProblem = { code: 'TARGET_BLOCKED' | 'TARGET_GRAMMAR'; reason: string };

/** Null when the string is an acceptable target; otherwise the first problem, explained. */
export function targetTextProblem(target: string): TargetTextProblem | null {
  const shown = showValue(target);
  for (const pattern of BLOCKED_PATTERNS) {
    if (target.includes(pattern)) {
      return { code: 'TARGET_BLOCKED', reason: `target ${shown} contains the blocked pattern ${JSON.stringify(pattern)}` };
    }
  }
  if (TARGET_GRAMMAR.test(target) && !target.includes('..')) return null;
  return { code: 'TARGET_GRAMMAR', reason: `target ${shown} ${explainGrammar(target)}` };
}

function explainGrammar(target: string): string {
  if (target.length === 0) return 'is empty';
  if (target.length > TARGET_MAX_LENGTH) {
    return `is ${target.length} characters long; at most ${TARGET_MAX_LENGTH} are allowed`;
  }
  const first = target.charCodeAt(0);
  if (!isAsciiAlnum(first)) {
    const option = target[0] === '-' ? ' (a leading "-" would be read as an option)' : '';
    return `must start with an ASCII letter or digit, not ${describeChar(first)}${option}`;
  }
  for (let i = 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (!isAsciiAlnum(c) && !'._@+-'.includes(target[i] ?? '')) {
      return `contains ${describeChar(c)} at position ${i}; only ASCII letters, digits and . _ @ + - are allowed`;
    }
  }
  if (target.includes('..')) return 'contains ".." (a path traversal)';
  return `does not match ${TARGET_GRAMMAR_TEXT}`;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function describeChar(code: number): string {
  if (code === 32) return 'a space';
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 32 || code === 127) return `the control character ${hex}`;
  if (code > 127) return `the non-ASCII character ${hex}`;
  return JSON.stringify(String.fromCharCode(code));
}

const SHOWN_MAX = 64;

/**
 * A value as people should see it in a reason or a trace: strings JSON-quoted with every
 * character outside printable ASCII escaped as \uXXXX, so a newline, a NUL, a zero-width space
 * or a Cyrillic look-alike is visible and the result is plain ASCII; long strings cut.
 * Other values are named by type.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_MAX;
    const body = escapeAscii(cut ? value.slice(0, SHOWN_MAX) : value);
    return cut ? `"${body}"... (${value.length} characters)` : `"${body}"`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (typeof value === 'object') return 'an object';
  return `a value of type ${typeof value}`;
}

function escapeAscii(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c >= 32 && c < 127) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}
