/**
 * Compile-time checks on the AST: names resolve, functions exist with the right arity,
 * regexes compile, and the types the compiler can see do not contradict each other.
 * Modest by design: it only flags what can never work (a string compared with a number).
 */
import type { Node, NodeProblem, StaticKind } from './ast.ts';
import { suggestion } from './closest.ts';
import { parseDuration } from './duration.ts';
import { FUNCTIONS, functionInfo, ITEM_NAME, PER_ITEM_FUNCTIONS } from './functions.ts';
import { zoneFormatter } from './format-time.ts';
import { compilePattern, NOW_FIELD } from './operations.ts';
import { BINARY_OPERATORS } from './operators.ts';

export type Roots = ReadonlySet<string> | 'any';

/**
 * The known first-level fields of some roots (`event` → source, status, service...): a path
 * `event.lables` is an error with the closest field. Roots not in the map are not checked.
 */
export type RootFields = ReadonlyMap<string, ReadonlySet<string>>;

export const NO_FIELDS: RootFields = new Map();

/** The problem with `root.field`, if the root's fields are known and the field is not one of them. */
export function unknownField(root: string, field: string | undefined, fields: RootFields): { message: string; hint: string | undefined } | null {
  const known = fields.get(root);
  if (known === undefined || field === undefined || known.has(field)) return null;
  return { message: `${root} has no field '${field}'`, hint: suggestion(field, known, `fields of ${root}`) };
}

/** Path segments that would reach an object's prototype rather than its data. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const KIND_WORDS: Record<StaticKind, string> = {
  number: 'a number',
  duration: 'a duration',
  string: 'a string',
  boolean: 'a boolean',
  null: 'null',
  list: 'a list',
  unknown: 'a value',
};

function literalKind(value: unknown): StaticKind {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'unknown';
}

/** Kinds that can sensibly meet in a comparison; `unknown` and `null` meet anything. */
function group(k: StaticKind): StaticKind {
  return k === 'duration' ? 'number' : k;
}

function comparable(a: StaticKind, b: StaticKind): boolean {
  if (a === 'unknown' || b === 'unknown' || a === 'null' || b === 'null') return true;
  return group(a) === group(b);
}

const NOT_NUMERIC: ReadonlySet<StaticKind> = new Set(['string', 'boolean', 'null', 'list']);

type PathNode = Extract<Node, { kind: 'path' }>;

/**
 * What the checker found, in the order it found it: problems, and the paths whose names are
 * checked against the roots and fields of the place the expression is written (`resolveNames`).
 * Everything else the checker sees depends on the text alone, so this list can be kept with the
 * parsed text and resolved again wherever the same text is compiled.
 */
export type CheckEvent = NodeProblem | { path: PathNode };

/** The problems of the checker's events where the expression is written: names, fields, and the rest as found. */
export function resolveNames(events: readonly CheckEvent[], roots: Roots, fields: RootFields = NO_FIELDS): NodeProblem[] {
  const out: NodeProblem[] = [];
  for (const e of events) {
    if ('path' in e) pathProblems(e.path, roots, fields, out);
    else out.push(e);
  }
  return out;
}

function pathProblems(node: PathNode, roots: Roots, fields: RootFields, out: NodeProblem[]): void {
  const offset = node.offset;
  if (roots !== 'any' && !roots.has(node.root) && node.root !== NOW_FIELD) {
    const asFunction = node.segments.length === 0 && functionInfo(node.root) !== undefined;
    const hint = asFunction
      ? `'${node.root}' is a function: call it as ${node.root}()`
      : node.root === ITEM_NAME
        ? `'${ITEM_NAME}' is the current item inside filter(list, cond) and map(list, expr) only`
        : suggestion(node.root, roots, 'names');
    out.push(withHint({ code: 'EXPR_UNKNOWN_NAME', message: `unknown name '${node.root}'`, offset }, hint));
  }
  const field = unknownField(node.root, node.segments[0], fields);
  if (field !== null) out.push(withHint({ code: 'EXPR_UNKNOWN_FIELD', message: field.message, offset }, field.hint));
  if (FORBIDDEN_SEGMENTS.has(node.root)) out.push({ code: 'EXPR_UNKNOWN_NAME', message: `'${node.root}' cannot be read in an expression`, offset });
  for (const s of node.segments) {
    if (FORBIDDEN_SEGMENTS.has(s)) out.push({ code: 'EXPR_UNKNOWN_NAME', message: `'${s}' cannot be read in an expression`, offset });
  }
}

function withHint(p: NodeProblem, hint: string | undefined): NodeProblem {
  if (hint !== undefined) p.hint = hint;
  return p;
}

export class AstChecker {
  readonly events: CheckEvent[] = [];
  /** > 0 inside the per-item argument of filter() or map(), where the data is the item alone. */
  #perItem = 0;

  private problem(code: NodeProblem['code'], message: string, offset: number, hint?: string): void {
    const p: NodeProblem = { code, message, offset };
    if (hint !== undefined) p.hint = hint;
    this.events.push(p);
  }

  kindOf(node: Node): StaticKind {
    switch (node.kind) {
      case 'literal':
        return literalKind(node.value);
      case 'duration':
        return 'duration';
      case 'list':
        for (const item of node.items) this.kindOf(item);
        return 'list';
      case 'path':
        if (this.#perItem > 0) this.itemPath(node);
        else this.events.push({ path: node });
        return 'unknown';
      case 'call':
        return this.call(node);
      case 'index': {
        this.kindOf(node.object);
        const k = this.kindOf(node.key);
        if (k === 'boolean' || k === 'list' || k === 'duration') this.problem('EXPR_TYPE', `an index must be a number or a string, not ${KIND_WORDS[k]}`, node.offset);
        if (node.key.kind === 'literal' && typeof node.key.value === 'string' && FORBIDDEN_SEGMENTS.has(node.key.value)) {
          this.problem('EXPR_UNKNOWN_NAME', `'${node.key.value}' cannot be read in an expression`, node.offset);
        }
        return 'unknown';
      }
      case 'unary': {
        const k = this.kindOf(node.operand);
        if (node.op === 'not') return 'boolean';
        if (NOT_NUMERIC.has(k)) this.problem('EXPR_TYPE', `cannot negate ${KIND_WORDS[k]}`, node.offset);
        return k === 'duration' ? 'duration' : 'number';
      }
      case 'binary':
        return this.binary(node);
    }
  }

  /**
   * Inside filter()/map()'s per-item argument JSON Logic evaluates with the item as the whole
   * data, so only `it` can be read there: an outer name would silently read the item's field.
   */
  private itemPath(node: PathNode): void {
    if (node.root !== ITEM_NAME) {
      this.problem(
        'EXPR_UNKNOWN_NAME',
        `inside filter() and map() only '${ITEM_NAME}' (the current item) can be read, not '${node.root}'`,
        node.offset,
        'compute the outer value in a step before, or compare it outside the filter',
      );
    }
    for (const s of node.segments) if (FORBIDDEN_SEGMENTS.has(s)) this.problem('EXPR_UNKNOWN_NAME', `'${s}' cannot be read in an expression`, node.offset);
  }

  private call(node: Extract<Node, { kind: 'call' }>): StaticKind {
    const perItem = PER_ITEM_FUNCTIONS.has(node.name);
    const kinds = node.args.map((a, i) => {
      if (!perItem || i === 0) return this.kindOf(a);
      this.#perItem += 1;
      try {
        return this.kindOf(a);
      } finally {
        this.#perItem -= 1;
      }
    });
    if (this.#perItem > 0 && (node.name === 'now' || node.name === 'age')) {
      this.problem('EXPR_TYPE', `${node.name}() cannot be called inside filter() or map(): the clock is not part of the item`, node.offset, 'compute it before the filter');
    }
    if (perItem && (kinds[0] === 'string' || kinds[0] === 'number' || kinds[0] === 'boolean')) {
      this.problem('EXPR_TYPE', `${node.name}() takes a list first, not ${KIND_WORDS[kinds[0]]}`, node.args[0]!.offset, functionInfo(node.name)?.signature);
    }
    // split(s, sep?, max?): its arguments are of different kinds.
    const splitKinds: readonly StaticKind[][] = [['string', 'unknown'], ['string', 'null', 'unknown'], ['number', 'unknown']];
    if (node.name === 'split') {
      kinds.forEach((k, i) => {
        if (i < 3 && !splitKinds[i]!.includes(k)) this.problem('EXPR_TYPE', `split() does not take ${KIND_WORDS[k]}${i === 0 ? '' : ` as its ${i === 1 ? 'separator' : 'limit'}`}`, node.args[i]!.offset, functionInfo('split')!.signature);
      });
    }
    const info = functionInfo(node.name);
    if (info === undefined) {
      this.problem('EXPR_UNKNOWN_FUNCTION', `unknown function '${node.name}'`, node.offset, suggestion(node.name, Object.keys(FUNCTIONS), 'functions'));
      return 'unknown';
    }
    const n = node.args.length;
    const arityOk = n >= info.minArgs && n <= info.maxArgs;
    if (!arityOk) {
      const want = info.minArgs === info.maxArgs ? `${info.minArgs}` : info.maxArgs === Infinity ? `at least ${info.minArgs}` : `${info.minArgs} to ${info.maxArgs}`;
      this.problem('EXPR_TYPE', `${node.name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${n}`, node.offset, info.signature);
    }
    if (arityOk && info.accepts !== undefined) {
      kinds.forEach((k, i) => {
        if (!info.accepts!.includes(k) && k !== 'unknown') {
          this.problem('EXPR_TYPE', `${node.name}() does not take ${KIND_WORDS[k]}`, node.args[i]!.offset, info.signature);
        }
      });
    }
    const [first] = node.args;
    if (node.name === 'match' && node.args[1] !== undefined) this.pattern(node.args[1], 'the pattern of match()');
    const zone = node.args[2];
    if (node.name === 'format_time' && zone?.kind === 'literal' && typeof zone.value === 'string' && zoneFormatter(zone.value) === null) {
      this.problem('EXPR_TYPE', `unknown time zone '${zone.value}'`, zone.offset, 'an IANA zone such as "Europe/Paris" or "UTC"');
    }
    if (node.name === 'duration' && first?.kind === 'literal' && typeof first.value === 'string') {
      if (parseDuration(first.value) === null) this.problem('EXPR_TYPE', `'${first.value}' is not a duration`, first.offset, 'write it like 20m, 1h30m, 500ms');
    }
    if (node.name === 'default' && kinds[0] === kinds[1]) return kinds[0]!;
    return info.returns;
  }

  private binary(node: Extract<Node, { kind: 'binary' }>): StaticKind {
    const l = this.kindOf(node.left);
    const r = this.kindOf(node.right);
    const cls = BINARY_OPERATORS[node.op].class;
    switch (cls) {
      case 'logical':
        return l === r ? l : 'unknown';
      case 'equality':
        if (l === 'list' || r === 'list') {
          this.problem('EXPR_TYPE', `'${node.op}' compares lists by identity, so it is never true here`, node.offset, "test membership with 'in'");
        } else if (!comparable(l, r)) {
          this.problem('EXPR_TYPE', `'${node.op}' compares ${KIND_WORDS[l]} with ${KIND_WORDS[r]}`, node.offset, '== and != are strict: values of different types are never equal');
        }
        return 'boolean';
      case 'ordering':
        if (l === 'list' || r === 'list' || !comparable(l, r)) {
          this.problem('EXPR_TYPE', `'${node.op}' compares ${KIND_WORDS[l]} with ${KIND_WORDS[r]}`, node.offset);
        }
        return 'boolean';
      case 'membership':
        if (r === 'number' || r === 'duration' || r === 'boolean' || r === 'null') {
          this.problem('EXPR_TYPE', `'${node.op}' needs a list or a string on its right, not ${KIND_WORDS[r]}`, node.offset);
        }
        return 'boolean';
      case 'match':
        this.pattern(node.right);
        if (l === 'boolean' || l === 'null' || l === 'list') this.problem('EXPR_TYPE', `'matches' tests text, not ${KIND_WORDS[l]}`, node.offset);
        return 'boolean';
      case 'arithmetic':
        for (const [k, side] of [[l, node.left], [r, node.right]] as const) {
          if (NOT_NUMERIC.has(k)) {
            const hint = node.op === '+' && k === 'string' ? 'join text with concat(a, b) or a template: "${a} ${b}"' : undefined;
            this.problem('EXPR_TYPE', `'${node.op}' does arithmetic, not on ${KIND_WORDS[k]}`, side.offset, hint);
          }
        }
        return l === 'duration' && r === 'duration' && (node.op === '+' || node.op === '-') ? 'duration' : 'number';
    }
  }

  private pattern(right: Node, what = "the right side of 'matches'"): void {
    if (right.kind !== 'literal' || typeof right.value !== 'string') {
      this.problem('EXPR_SYNTAX', `${what} must be a string literal (a regular expression)`, right.offset);
      return;
    }
    const compiled = compilePattern(right.value);
    if ('error' in compiled) this.problem('EXPR_SYNTAX', `invalid regular expression ${compiled.error.replace(/^Invalid regular expression: /, '')}`, right.offset);
  }
}
