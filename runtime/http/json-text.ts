import secureJson from 'secure-json-parse';
import { httpError } from './problem.ts';

/**
 * Parses an untrusted JSON text: nesting bounded before parsing, `__proto__` and
 * `constructor.prototype` keys refused (they are how prototype pollution reaches code that
 * merges objects), and a located message for malformed text. `where` names the document in
 * messages ("the body", "the form field data").
 */
export function parseJsonText(text: string, maxDepth: number, where = 'the body'): unknown {
  if (text.trim() === '') throw httpError('INVALID_JSON', `${where} is empty; a JSON document was expected`, { body: { position: 0 } });
  const deepAt = depthExceededAt(text, maxDepth);
  if (deepAt !== null) {
    throw httpError('TOO_DEEP', `${where} nests deeper than ${maxDepth} levels (at position ${deepAt})`, { body: { position: deepAt } });
  }
  try {
    return secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message === FORBIDDEN) {
      throw httpError('FORBIDDEN_KEY', `${where} contains a "__proto__" or "constructor.prototype" key, which is refused`);
    }
    const position = positionOf(message, text);
    throw httpError('INVALID_JSON', `${where} is not valid JSON at position ${position}: ${message.slice(0, 200)}`, { body: { position } });
  }
}

/** What secure-json-parse throws for a forbidden key (its only SyntaxError of its own). */
const FORBIDDEN = 'Object contains forbidden prototype property';

/**
 * The offset of the first bracket that goes deeper than `max`, or null. One pass over the text,
 * no recursion, so a hostile `[[[[...` costs time linear in its length and no stack.
 */
export function depthExceededAt(text: string, max: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > max) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** V8 says "at position N" for most errors and nothing for a truncated text (the end, then). */
function positionOf(message: string, text: string): number {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : text.length;
}
