/**
 * AST → JSON Logic, the stored form. Runs after the checker, so it never reports.
 * Output is kept readable: `and`/`or` chains flatten, durations stay as written
 * (`{"duration": "20m"}`), negative number literals fold.
 */
import type { Node } from './ast.ts';
import { functionInfo, ITEM_NAME, PER_ITEM_FUNCTIONS } from './functions.ts';
import { BINARY_OPERATORS, type BinaryOperator } from './operators.ts';
import type { ExprRef, JsonLogic } from './types.ts';

function flatten(node: Node, op: BinaryOperator, out: Node[]): Node[] {
  if (node.kind === 'binary' && node.op === op) {
    flatten(node.left, op, out);
    flatten(node.right, op, out);
  } else {
    out.push(node);
  }
  return out;
}

/**
 * `perItem`: inside filter()/map()'s per-item argument, where JSON Logic's data is the item:
 * `it.x` is `{"var": "x"}` and `it` alone `{"var": ""}`.
 */
export function toLogic(node: Node, perItem = false): JsonLogic {
  const sub = (n: Node): JsonLogic => toLogic(n, perItem);
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'duration':
      return { duration: node.text };
    case 'list':
      return node.items.map(sub);
    case 'path':
      if (perItem && node.root === ITEM_NAME) return { var: node.segments.join('.') };
      return { var: [node.root, ...node.segments].join('.') };
    case 'call': {
      const [first] = node.args;
      if (node.name === 'duration' && node.args.length === 1 && first?.kind === 'literal' && typeof first.value === 'string') {
        return { duration: first.value };
      }
      if (PER_ITEM_FUNCTIONS.has(node.name)) return { [node.name]: node.args.map((a, i) => (i === 0 ? sub(a) : toLogic(a, true))) };
      // min(list) and max(list): JSON Logic's min and max take numbers, not a list.
      if ((node.name === 'min' || node.name === 'max') && node.args.length === 1) return { [`${node.name}_of`]: [sub(first!)] };
      return { [functionInfo(node.name)?.logic ?? node.name]: node.args.map(sub) };
    }
    case 'index':
      return { get: [sub(node.object), sub(node.key)] };
    case 'unary':
      if (node.op === 'not') return { '!': [sub(node.operand)] };
      if (node.operand.kind === 'literal' && typeof node.operand.value === 'number' && node.operand.value !== 0) return -node.operand.value;
      return { '-': [sub(node.operand)] };
    case 'binary': {
      if (node.op === 'and' || node.op === 'or') return { [node.op]: flatten(node, node.op, []).map(sub) };
      const pair = [sub(node.left), sub(node.right)];
      const logic = { [BINARY_OPERATORS[node.op].logic]: pair };
      return node.op === 'not in' ? { '!': [logic] } : logic;
    }
  }
}

/** Every data path the expression reads, once each, in order of appearance. */
export function collectRefs(node: Node, out: ExprRef[] = [], seen = new Set<string>()): ExprRef[] {
  switch (node.kind) {
    case 'path': {
      const key = [node.root, ...node.segments].join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ root: node.root, path: [...node.segments] });
      }
      break;
    }
    case 'list':
      node.items.forEach((n) => collectRefs(n, out, seen));
      break;
    case 'call':
      // A per-item argument reads only the item (`it`), never the run's data.
      node.args.forEach((n, i) => {
        if (i === 0 || !PER_ITEM_FUNCTIONS.has(node.name)) collectRefs(n, out, seen);
      });
      break;
    case 'index':
      collectRefs(node.object, out, seen);
      collectRefs(node.key, out, seen);
      break;
    case 'unary':
      collectRefs(node.operand, out, seen);
      break;
    case 'binary':
      collectRefs(node.left, out, seen);
      collectRefs(node.right, out, seen);
      break;
    default:
      break;
  }
  return out;
}
