/**
 * `${...}` interpolation. A template with no `${` is a literal; exactly one `${expr}` and
 * nothing else is that expression (a number stays a number); anything else joins its
 * pieces with JSON Logic `cat`. `$${` writes a literal `${`.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { NO_FIELDS, type RootFields, type Roots } from './check.ts';
import { compileSource } from './compile-source.ts';
import { sliceLocator, type Locator } from './locate.ts';
import type { ExprRef, JsonLogic } from './types.ts';

type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; text: string; offset: number };

type SplitResult = { parts: TemplatePart[]; error: null } | { parts: null; error: { offset: number; message: string } };

/** The end of a `${...}`: the first `}` outside a quoted string. */
function closingBrace(input: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < input.length; j++) {
    const ch = input[j]!;
    if (quote !== null) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '}') {
      return j;
    }
  }
  return -1;
}

const MAX_SPLITS = 20_000;
const splits = new Map<string, SplitResult>();

/** splitTemplate, memoized by the text (templates repeat across playbooks); the parts are frozen. */
function splitCached(input: string): SplitResult {
  let r = splits.get(input);
  if (r === undefined) {
    r = splitTemplate(input);
    if (r.parts) for (const p of r.parts) Object.freeze(p);
    if (splits.size >= MAX_SPLITS) splits.clear();
    splits.set(input, r);
  }
  return r;
}

function splitTemplate(input: string): SplitResult {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (input.startsWith('${', i)) {
      const end = closingBrace(input, i + 2);
      if (end < 0) return { parts: null, error: { offset: i, message: "'${' is not closed by '}'" } };
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'expr', text: input.slice(i + 2, end), offset: i + 2 });
      i = end + 1;
    } else {
      text += input[i];
      i++;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { parts, error: null };
}

export interface TemplateResult {
  logic: JsonLogic;
  refs: ExprRef[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

export const NO_OBJECTS: ReadonlySet<string> = new Set();

/** Operations whose result is an object or a list: in a template's text it would read "[object Object]" or "a,b". */
const OBJECT_OPERATIONS: ReadonlySet<string> = new Set(['merge_objects', 'omit', 'from_pairs', 'keys', 'values', 'split', 'map', 'filter', 'match', 'object']);

/** Whether a piece of a text template is an object or a list. `objects`: names whose value is one. */
function notText(logic: JsonLogic, objects: ReadonlySet<string>): boolean {
  if (Array.isArray(logic)) return true;
  if (typeof logic !== 'object' || logic === null) return false;
  const [op] = Object.keys(logic);
  const arg = (logic as Record<string, unknown>)[op!];
  if (op === 'var') {
    const name = Array.isArray(arg) ? arg[0] : arg;
    return typeof name === 'string' && objects.has(name);
  }
  return op !== undefined && OBJECT_OPERATIONS.has(op);
}

export function compileTemplateSource(input: string, locate: Locator, roots: Roots, fields: RootFields = NO_FIELDS, objects: ReadonlySet<string> = NO_OBJECTS): TemplateResult {
  if (!input.includes('${')) return { logic: input, refs: [], diagnostics: [], ok: true }; // no interpolation (nor $${)
  const split = splitCached(input);
  if (split.error !== null) {
    return { logic: null, refs: [], diagnostics: [diagnostic('EXPR_SYNTAX', split.error.message, locate(split.error.offset), { hint: "write '$${' for a literal '${'" })], ok: false };
  }
  const pieces: JsonLogic[] = [];
  const refs: ExprRef[] = [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const part of split.parts) {
    if (part.kind === 'text') {
      pieces.push(part.text);
      continue;
    }
    const r = compileSource(part.text, sliceLocator(locate, part.offset), roots, fields);
    diagnostics.push(...r.diagnostics);
    // Beside text, a piece is rendered as text: an object would read "[object Object]".
    if (split.parts.length > 1 && r.diagnostics.length === 0 && notText(r.logic, objects)) {
      const message = `\${${part.text.trim()}} is an object or a list, not text: inside this text it would read "[object Object]" or its items joined by commas`;
      diagnostics.push(diagnostic('EXPR_OBJECT_IN_TEXT', message, sliceLocator(locate, part.offset)(0), { hint: 'name the field you mean, or write string(x) for its JSON' }));
    }
    pieces.push(r.logic);
    for (const ref of r.refs) {
      const key = [ref.root, ...ref.path].join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        refs.push(ref);
      }
    }
  }
  if (diagnostics.length > 0) return { logic: null, refs: [], diagnostics, ok: false };
  const only = split.parts.length === 1 ? split.parts[0] : undefined;
  let logic: JsonLogic;
  if (split.parts.length === 0) logic = '';
  else if (only !== undefined) logic = only.kind === 'text' ? only.text : pieces[0];
  else logic = { cat: pieces };
  return { logic, refs, diagnostics, ok: true };
}
