/**
 * Regular expressions run on alert text an attacker may write, so they use RE2's linear-time
 * engine (re2js, a pure JavaScript port): no backtracking, so no catastrophic pattern. What RE2
 * refuses (backreferences, lookaround) is a load-time error, located at the pattern.
 * `(?i)` at the start asks for a case-insensitive match (RE2 syntax, as before).
 */
import { RE2JS } from 're2js';

export type Pattern = RE2JS;

export function compilePattern(source: string): { regex: Pattern } | { error: string } {
  try {
    return { regex: RE2JS.compile(source) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { error: message.replace(/^error parsing regexp: /, '') };
  }
}

/** Strings and numbers can match; anything else (null, lists, objects) does not. */
export function testPattern(subject: unknown, regex: Pattern | null): boolean {
  if (regex === null) return false;
  if (typeof subject === 'string') return regex.matcher(subject).find();
  if (typeof subject === 'number') return regex.matcher(String(subject)).find();
  return false;
}

/**
 * The first match's groups: with named groups, an object of them; otherwise a list indexed by
 * group number (0 = the whole match). A group that took no part is null; no match is null.
 */
export function matchGroups(subject: unknown, regex: Pattern | null): unknown[] | Record<string, string | null> | null {
  if (regex === null) return null;
  const text = typeof subject === 'string' ? subject : typeof subject === 'number' ? String(subject) : null;
  if (text === null) return null;
  const m = regex.matcher(text);
  if (!m.find()) return null;
  const named = Object.entries(regex.namedGroups() as Record<string, number>);
  if (named.length > 0) {
    const out: Record<string, string | null> = {};
    for (const [name, index] of named) out[name] = m.group(index) ?? null;
    return out;
  }
  const groups: (string | null)[] = [];
  for (let i = 0; i <= regex.groupCount(); i++) groups.push(m.group(i) ?? null);
  return groups;
}

const PATTERN_CACHE_LIMIT = 256;
const patternCache = new Map<string, Pattern | null>();

export function cachedPattern(source: unknown): Pattern | null {
  if (typeof source !== 'string') return null;
  let regex = patternCache.get(source);
  if (regex === undefined) {
    const compiled = compilePattern(source);
    regex = 'regex' in compiled ? compiled.regex : null;
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    patternCache.set(source, regex);
  }
  return regex;
}
