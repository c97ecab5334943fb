import type { TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { compileSchema } from '../schema-check/compile.ts';
import { show } from '../schema-check/messages.ts';
import { displayPath, pointerToPath } from '../schema-check/paths.ts';
import { explainErrors } from '../schema-check/unions.ts';
import { closest, type CompileContext } from './compile-context.ts';

type Path = (string | number)[];

/**
 * Lint reads the executor's declared input schema (STEP_INVALID_INPUT): missing required keys,
 * unknown keys, and every literal value (no `${` anywhere inside, so it reaches the executor
 * exactly as written) checked against its schema, with the allowed values in the message: a
 * `severity: informational` that the executor would refuse at run time is refused here.
 */
export function checkInputs(ctx: CompileContext, schema: TSchema, input: Record<string, unknown>, path: Path, name: string): void {
  const props = (schema as { properties?: Record<string, unknown> }).properties;
  if (!props) return;
  for (const req of (schema as { required?: string[] }).required ?? []) {
    if (!(req in input)) ctx.report('STEP_INVALID_INPUT', `${name} needs with.${req}`, path);
  }
  const literal: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!(key in props)) {
      const hint = closest(key, Object.keys(props));
      ctx.report('STEP_INVALID_INPUT', `${name} has no input ${JSON.stringify(key)}`, [...path, 'with', key], { key: true, ...(hint ? { hint: `did you mean ${hint}?` } : {}) });
    } else if (isLiteral(input[key])) {
      literal[key] = input[key];
    }
  }
  if (Object.keys(literal).length > 0) checkLiterals(ctx, schema, literal, [...path, 'with'], name);
}

function checkLiterals(ctx: CompileContext, schema: TSchema, literal: Record<string, unknown>, at: Path, name: string): void {
  const compiled = compileSchema(schema);
  if (compiled.validate(literal)) return;
  // Problems with the mapping as a whole (required, unknown keys) are not about the literals kept here.
  const errors = (compiled.validate.errors ?? []).filter((e: ErrorObject) => e.instancePath !== '');
  for (const f of explainErrors(errors, compiled)) {
    const rel = pointerToPath(f.pointer, literal);
    const value = valueAt(literal, rel);
    const got = f.message.startsWith('must be one of') && !f.message.includes('(got') && isScalar(value) ? ` (got ${show(value)})` : '';
    const where = displayPath(rel);
    const message = `${name}: with.${where}${f.key === undefined ? '' : `.${f.key}`} ${f.message}${got}`;
    ctx.report('STEP_INVALID_INPUT', message, f.key === undefined ? [...at, ...rel] : [...at, ...rel, f.key], {
      key: f.key !== undefined,
      ...(f.hint ? { hint: f.hint } : {}),
    });
  }
}

/** A value with no `${` anywhere inside: what the executor receives is exactly what is written. */
function isLiteral(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('${');
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(isLiteral);
  return true;
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const s of path) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[s] : undefined;
  return node;
}
