/**
 * AST → JSON Logic, the stored form. Runs after the checker, so it never reports.
 * Output is kept readable: `and`/`or` chains flatten, durations stay as written
 * (`{"duration": "20m"}`), negative number literals fold.
 */
import type { Node } from './ast.ts';
import { functionInfo } from './functions.ts';
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

export function toLogic(node: Node): JsonLogic {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'duration':
      return { duration: node.text };
    case 'list':
      return node.items.map(toLogic);
    case 'path':
      return { var: [node.root, ...node.segments].join('.') };
    case 'call': {
      const [first] = node.args;
      if (node.name === 'duration' && node.args.length === 1 && first?.kind === 'literal' && typeof first.value === 'string') {
        return { duration: first.value };
      }
      return { [functionInfo(node.name)?.logic ?? node.name]: node.args.map(toLogic) };
    }
    case 'index':
      return { get: [toLogic(node.object), toLogic(node.key)] };
    case 'unary':
      if (node.op === 'not') return { '!': [toLogic(node.operand)] };
      if (node.operand.kind === 'literal' && typeof node.operand.value === 'number' && node.operand.value !== 0) return -node.operand.value;
      return { '-': [toLogic(node.operand)] };
    case 'binary': {
      if (node.op === 'and' || node.op === 'or') return { [node.op]: flatten(node, node.op, []).map(toLogic) };
      const pair = [toLogic(node.left), toLogic(node.right)];
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
      node.args.forEach((n) => collectRefs(n, out, seen));
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
