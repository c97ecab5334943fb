import {
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  type LineCounter,
  type Node as YamlNode,
  type ParseOptions,
  type SchemaOptions,
  type YAMLError,
} from 'yaml';
import { compareDiagnostics, diagnostic, hasErrors, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.ts';
import { DEFAULT_YAML_LIMITS, type YamlLimits } from './limits.ts';
import { offsetToLocation } from './location.ts';
import { YamlLocator, type YamlPath } from './locator.ts';
import { toPlainValue } from './plain-value.ts';
import { scanTokens, type Scan } from './scan.ts';
import { readSourceText } from './text.ts';
import { checkTree } from './tree-check.ts';
import { readFastYaml } from './fast/index.ts';

export { DEFAULT_YAML_LIMITS, type YamlLimits } from './limits.ts';
export type { YamlPath } from './locator.ts';

export interface LoadedYaml {
  file: string;
  /** False when any error diagnostic. */
  ok: boolean;
  /** Plain data; undefined when not ok. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Location of the value node at `path` (nearest existing ancestor when the path does not exist). */
  locate(path: YamlPath): SourceLocation;
  /** Location of the KEY of the pair at `path` (for "unknown property" errors); falls back to locate(). */
  locateKey(path: YamlPath): SourceLocation;
  /** Location of the first character of a scalar's content (after an opening quote), for expression diagnostics. */
  locateScalarContent(path: YamlPath): SourceLocation;
}

// YAML 1.2 core schema whatever the file says (a %YAML 1.1 directive is refused by the scan),
// no custom or known extra tags, no merge keys. Duplicate keys are found by tree-check.ts in
// linear time: yaml's own uniqueKeys check compares every key with every earlier one.
const COMPOSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: [],
  resolveKnownTags: false,
  merge: false,
  uniqueKeys: false,
  strict: true,
  intAsBigInt: false,
  prettyErrors: false,
};

/** Past this many, more parser errors only repeat the first ones' cause. */
const MAX_PARSER_DIAGNOSTICS = 50;

/**
 * Which parser reads the text: `auto` tries the fast path (engine/yaml/fast/) and falls back to
 * the full yaml library for anything outside its subset or with any problem; `full` always uses
 * the yaml library (the differential tests and the benchmark's baseline).
 */
export type YamlParser = 'auto' | 'full';

/**
 * Reads one YAML file written by anyone into plain data, or into located diagnostics.
 * Stages: size and UTF-8 → the fast path, when the file is in its subset → otherwise lex/parse
 * with hostile-input checks → compose → key and alias checks → plain value. Both paths give
 * the same value and the same locations. Never throws.
 */
export function loadYaml(file: string, content: Uint8Array | string, limits: Partial<YamlLimits> = {}, parser: YamlParser = 'auto'): LoadedYaml {
  const bounds: YamlLimits = { ...DEFAULT_YAML_LIMITS, ...limits };
  try {
    return load(file, content, bounds, parser);
  } catch (error) {
    // Defence in depth: a parser bug or a stack overflow still becomes a diagnostic.
    const message = error instanceof Error ? error.message : String(error);
    return refused(file, [diagnostic('YAML_SYNTAX', `the YAML could not be read: ${message}`, { file, line: 1, column: 1 })]);
  }
}

function load(file: string, content: Uint8Array | string, limits: YamlLimits, parser: YamlParser): LoadedYaml {
  const source = readSourceText(file, content, limits.maxBytes);
  if (!source.ok) return refused(file, source.diagnostics);
  const { text } = source;

  const fast = parser === 'auto' ? readFastYaml(file, text, limits) : null;
  if (fast) {
    const { locator } = fast;
    return {
      file,
      ok: true,
      value: fast.value,
      diagnostics: [],
      locate: (path) => locator.locate(path),
      locateKey: (path) => locator.locateKey(path),
      locateScalarContent: (path) => locator.locateScalarContent(path),
    };
  }

  const scan = scanTokens(file, text, limits);
  if (scan.fatal) return refused(file, scan.diagnostics);

  const docs = compose(scan.tokens, text.length);
  const doc = docs[0]!; // compose(..., forceDoc = true) always yields one
  const diagnostics = [...scan.diagnostics, ...parserDiagnostics(file, scan, doc)];
  if (docs.length > 1) {
    const second = scan.tokens.filter((t) => t.type === 'document')[1];
    const offset = second?.offset ?? docs[1]!.range[0];
    diagnostics.push(
      diagnostic('YAML_MULTI_DOCUMENT', 'a second YAML document starts here; a file holds one document', at(file, scan.lineCounter, offset), {
        hint: 'remove the --- line, or split the file',
      }),
    );
  }

  const root = (doc.contents as YamlNode | null) ?? null;
  const tree = checkTree(file, scan.lineCounter, root, limits.maxDepth, !scan.refusedTag);
  diagnostics.push(...tree.diagnostics);
  const locator = new YamlLocator(file, text, scan.lineCounter, root, tree.aliasTargets);
  const ok = !hasErrors(diagnostics);
  return {
    file,
    ok,
    value: ok ? toPlainValue(root, tree.aliasTargets) : undefined,
    diagnostics: tidy(diagnostics),
    locate: (path) => locator.locate(path),
    locateKey: (path) => locator.locateKey(path),
    locateScalarContent: (path) => locator.locateScalarContent(path),
  };
}

function compose(tokens: readonly CST.Token[], length: number): Document.Parsed[] {
  // A hostile file can make the composer build half a million errors; capturing a stack
  // trace for each would take seconds, and nobody reads them.
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const docs: Document.Parsed[] = [];
    for (const doc of new Composer(COMPOSE_OPTIONS).compose(tokens, true, length)) {
      docs.push(doc);
      if (docs.length === 2) break; // the second is refused; no need to build the others
    }
    return docs;
  } finally {
    Error.stackTraceLimit = saved;
  }
}

/** The parser's errors, and its warnings as errors, minus those our own checks already explain. */
function parserDiagnostics(file: string, scan: Scan, doc: Document.Parsed): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (e: YAMLError, warning: boolean) => {
    if (scan.refusedTag && (e.code === 'TAG_RESOLVE_FAILED' || e.code === 'BAD_COLLECTION_TYPE')) return;
    if (scan.refusedDirective && e.code === 'BAD_DIRECTIVE') return;
    const location = at(file, scan.lineCounter, e.pos[0]);
    const message = firstLine(e.message);
    if (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) {
      const open = tokenEndingAt(scan.tokens, e.pos[0]);
      const where = open ? at(file, scan.lineCounter, open.offset) : location;
      out.push(diagnostic('YAML_SYNTAX', 'a quoted string starts here and is never closed', where));
    } else if (e.code === 'TAB_AS_INDENT') {
      out.push(diagnostic('YAML_SYNTAX', 'a tab is used for indentation; YAML indents with spaces', location));
    } else if (e.code === 'BAD_DIRECTIVE') {
      out.push(diagnostic('YAML_DIRECTIVE', message, location));
    } else if (e.code === 'DUPLICATE_KEY') {
      out.push(diagnostic('YAML_DUPLICATE_KEY', message, location));
    } else {
      out.push(diagnostic(warning ? 'YAML_WARNING' : 'YAML_SYNTAX', message, location));
    }
  };
  for (const e of doc.errors.slice(0, MAX_PARSER_DIAGNOSTICS)) add(e, false);
  for (const w of doc.warnings.slice(0, MAX_PARSER_DIAGNOSTICS)) add(w, true);
  return out;
}

/** The quoted scalar whose text runs to `end`: yaml reports a missing quote there, people want the opening one. */
function tokenEndingAt(tokens: readonly CST.Token[], end: number): CST.FlowScalar | null {
  const stack: unknown[] = [...tokens];
  while (stack.length > 0) {
    const t = stack.pop();
    if (Array.isArray(t)) stack.push(...(t as unknown[]));
    else if (t && typeof t === 'object') {
      const token = t as CST.FlowScalar;
      if ((token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') && token.offset + token.source.length === end) return token;
      stack.push(...Object.values(t));
    }
  }
  return null;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function at(file: string, lineCounter: LineCounter, offset: number): SourceLocation {
  return offsetToLocation(file, lineCounter, offset);
}

/** Sorted by location, one diagnostic per code and place (two stages may see the same problem). */
function tidy(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.sort(compareDiagnostics).filter((d) => {
    const key = `${d.code}:${d.location.line}:${d.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function refused(file: string, diagnostics: Diagnostic[]): LoadedYaml {
  const start = (): SourceLocation => ({ file, line: 1, column: 1 });
  return { file, ok: false, value: undefined, diagnostics: tidy(diagnostics), locate: start, locateKey: start, locateScalarContent: start };
}
