import { CST, Lexer, LineCounter, Parser } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { YamlLimits } from './limits.ts';
import { offsetToLocation } from './location.ts';

/**
 * Second stage: lex and parse to the concrete syntax tree one token at a time, refusing what
 * is hostile before any tree is composed: explicit tags, directives other than %YAML 1.2,
 * too many aliases, and nesting deeper than the limit (checked on the parser's stack as it
 * grows, so `[[[[...` a megabyte long stops at the limit instead of taking seconds).
 */
export interface Scan {
  tokens: CST.Token[];
  lineCounter: LineCounter;
  diagnostics: Diagnostic[];
  /** True when the rest of loading must not run (the input is hostile or too deep). */
  fatal: boolean;
  /** Whether a %YAML or %TAG directive was refused (the parser's own directive warnings are then redundant). */
  refusedDirective: boolean;
  refusedTag: boolean;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);
/** A file full of tags is refused all the same; past this many, more diagnostics add nothing. */
const MAX_TAG_DIAGNOSTICS = 50;

export function scanTokens(file: string, text: string, limits: YamlLimits): Scan {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const scan: Scan = { tokens: [], lineCounter, diagnostics: [], fatal: false, refusedDirective: false, refusedTag: false };
  const at = (offset: number) => offsetToLocation(file, lineCounter, offset);
  lineCounter.addNewLine(0); // Parser.parse() does this; we drive next() ourselves
  let aliases = 0;
  let tags = 0;
  let atScalar = false;

  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    if (atScalar) atScalar = false; // scalar content: never a tag or alias, whatever it starts with
    else {
      const type = CST.tokenType(lexeme);
      if (type === 'scalar') atScalar = true;
      else if (type === 'tag') {
        scan.refusedTag = true;
        if (++tags <= MAX_TAG_DIAGNOSTICS) {
          const message = `tag ${JSON.stringify(lexeme)} is not accepted`;
          const hint = 'tags change how a value is read: write a plain value, quoted if it must be a string';
          scan.diagnostics.push(diagnostic('YAML_TAG', message, at(offset), { hint }));
        }
      } else if (type === 'alias' && ++aliases > limits.maxAliases) {
        scan.diagnostics.push(
          diagnostic('YAML_ALIAS', `more than ${limits.maxAliases} aliases; the file is refused`, at(offset), {
            hint: 'aliases can multiply the size of a document: repeat the values instead',
          }),
        );
        scan.fatal = true;
        return scan;
      } else if (type === 'directive-line') {
        const problem = directiveProblem(lexeme);
        if (problem) {
          scan.refusedDirective = true;
          scan.diagnostics.push(diagnostic('YAML_DIRECTIVE', problem, at(offset)));
        }
      }
    }
    for (const token of parser.next(lexeme)) scan.tokens.push(token);
    const tooDeepAt = parser.stack.length > limits.maxDepth ? firstTooDeep(parser.stack, limits.maxDepth) : null;
    if (tooDeepAt !== null) {
      scan.diagnostics.push(tooDeep(limits.maxDepth, at(tooDeepAt)));
      scan.fatal = true;
      return scan;
    }
  }
  for (const token of parser.end()) scan.tokens.push(token);
  return scan;
}

export function tooDeep(maxDepth: number, location: Diagnostic['location']): Diagnostic {
  return diagnostic('YAML_TOO_DEEP', `mappings and lists are nested more than ${maxDepth} levels deep`, location);
}

/** Offset of the first open collection nested deeper than `maxDepth`, if any. */
function firstTooDeep(stack: readonly CST.Token[], maxDepth: number): number | null {
  let depth = 0;
  for (const token of stack) {
    if (COLLECTIONS.has(token.type) && ++depth > maxDepth) return (token as CST.BlockMap).offset;
  }
  return null;
}

/** Only `%YAML 1.2` is accepted: a 1.1 document reads `on:` as true, and %TAG only serves tags. */
function directiveProblem(line: string): string | null {
  const [name = '', ...args] = line.slice(1).split(/[ \t]+/);
  if (name === 'YAML') {
    if (args.length === 1 && args[0] === '1.2') return null;
    return `%YAML ${args.join(' ')} is not accepted: files are read as YAML 1.2 only (YAML 1.1 reads on: and yes: as true)`;
  }
  if (name === 'TAG') return '%TAG directives are not accepted: tags are not allowed';
  return `unknown directive %${name}`;
}
