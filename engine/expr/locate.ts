/**
 * Offsets in expression text → file locations. The caller gives the location of the
 * text's first character; a later line keeps that column as its left edge, which is
 * exact for YAML block scalars (every content line shares the first line's indent).
 */
import type { SourceLocation } from '../diagnostics/diagnostic.ts';

export type Locator = (offset: number) => SourceLocation;

export function locatorFor(text: string, base: SourceLocation): Locator {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : text.length, text.length));
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= at) line++;
    return { file: base.file, line: base.line + line, column: base.column + (at - lineStarts[line]!) };
  };
}

/** A locator whose base is found only if a problem needs it (most texts compile clean). */
export function lazyLocatorFor(text: string, base: () => SourceLocation): Locator {
  let inner: Locator | null = null;
  return (offset) => (inner ??= locatorFor(text, base()))(offset);
}

/** A locator for a slice of a larger text starting at `start` (a `${...}` inside a template). */
export function sliceLocator(outer: Locator, start: number): Locator {
  return (offset) => outer(start + offset);
}
