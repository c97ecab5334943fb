/**
 * Secrets written inside free text (an alert message, a command's output, a prompt): credentials
 * in a URL, `KEY=value` or `KEY: value` where the key says secret, bearer and basic tokens, JWTs,
 * cloud access keys. They are masked wherever a trace shows text. The patterns run on text an
 * attacker may write, so they use RE2 (linear time); a cheap literal test skips text that holds
 * none of their markers, which is nearly all of it.
 */
import { RE2JS } from 're2js';

// Each rule needs one of these: `://` (URL credentials), a secret-looking key, a token word.
const MARKERS = /:\/\/|pass|secret|token|api[_-]?key|private[_-]?key|credential|bearer|basic|eyJ|AKIA|ASIA/i;

/** Each pattern with its replacement, given the mask (the trace's `[REDACTED]`). */
const RULES: readonly [RE2JS, (mask: string) => string][] = [
  // scheme://user:password@host
  [RE2JS.compile('([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+):[^@\\s/]+@'), (m) => `$1:${m}@`],
  // DB_PASSWORD=..., api_key: "...", token='...'
  [
    RE2JS.compile('(?i)([a-z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential)[a-z0-9_.-]*)(\\s*[=:]\\s*)("[^"]*"|\'[^\']*\'|[^\\s,;&"\']+)'),
    (m) => `$1$2${m}`,
  ],
  // Authorization: Bearer abc..., Basic dXNlcjpwYXNz
  [RE2JS.compile('(?i)\\b(bearer|basic)\\s+[a-z0-9._~+/=-]{8,}'), (m) => `$1 ${m}`],
  // JSON Web Tokens
  [RE2JS.compile('\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}'), (m) => m],
  // AWS access key ids
  [RE2JS.compile('\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b'), (m) => m],
];

export function scrubText(text: string, mask: string): string {
  if (!MARKERS.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of RULES) out = pattern.matcher(out).replaceAll(replacement(mask));
  return out;
}
