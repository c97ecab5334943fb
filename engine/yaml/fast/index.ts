import { LineCounter } from 'yaml';
import type { YamlLimits } from '../limits.ts';
import { FastLocator } from './locator.ts';
import type { FastNode } from './nodes.ts';
import { parseBlockDocument } from './parser.ts';

/** A file the fast path read: its plain value and a locator with the full loader's answers. */
export interface FastDocument {
  value: unknown;
  root: FastNode | null;
  locator: FastLocator;
}

/**
 * The fast path of the YAML loader: one pass over the text for the subset playbooks are written
 * in, building the plain value and what locating needs, several times faster than the yaml
 * library's lexer, parser and composer. Null when the text is outside that subset or has any
 * problem: the full loader then reads it and reports every error. Never throws.
 */
export function readFastYaml(file: string, text: string, limits: YamlLimits): FastDocument | null {
  let root: FastNode | null;
  try {
    root = parseBlockDocument(text, limits);
  } catch {
    // Unsupported, or a fast-path bug: either way the full loader decides.
    return null;
  }
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  return { value: root === null ? null : root.value, root, locator: new FastLocator(file, lineCounter, root) };
}
