import type { LineCounter } from 'yaml';
import type { SourceLocation } from '../diagnostics/diagnostic.ts';

/** 1-based line and column of a character offset in the parsed text (columns count UTF-16 units). */
export function offsetToLocation(file: string, lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(Math.max(0, offset));
  return { file, line: Math.max(1, line), column: Math.max(1, col) };
}
