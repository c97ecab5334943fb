import type { AnySchemaObject, ErrorObject } from 'ajv/dist/2020.js';
import type { CompiledSchema } from './compile.ts';
import { describeError, kindOf, show, typeNoun, type Finding } from './messages.ts';

/**
 * Turns ajv's errors into findings. A failed union (anyOf/oneOf) makes ajv report every
 * branch's errors; instead, each branch is validated on its own, the branches that cannot be
 * meant are ruled out (wrong type, wrong discriminator constant, missing the key that names
 * the branch), and only the closest branch's problems are told. When no branch is close,
 * one message lists what is accepted.
 */
export function explainErrors(errors: readonly ErrorObject[], schema: CompiledSchema): Finding[] {
  const out: Finding[] = [];
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i]!;
    if (isFailedUnion(e)) {
      out.push(...explainUnion(e, schema));
      i = firstBranchError(errors, i); // skip the branch errors ajv reported before the union
      continue;
    }
    if ((e as { propertyName?: string }).propertyName !== undefined) continue; // told by its propertyNames error
    const finding = describeError(e);
    if (finding) out.push(finding);
  }
  return out;
}

function isFailedUnion(e: ErrorObject): boolean {
  return e.keyword === 'anyOf' || (e.keyword === 'oneOf' && !(e.params as { passingSchemas?: unknown }).passingSchemas);
}

/** ajv reports a union's branch errors just before it: a run of errors inside the union's value. */
function firstBranchError(errors: readonly ErrorObject[], union: number): number {
  const u = errors[union]!;
  let j = union;
  while (j > 0) {
    const prev = errors[j - 1]!;
    if (!within(prev.instancePath, u.instancePath) || prev.parentSchema === u.parentSchema) break;
    j--;
  }
  return j;
}

function within(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

function explainUnion(u: ErrorObject, schema: CompiledSchema): Finding[] {
  const base = u.instancePath;
  const validators = schema.branchValidators(u.schema);
  if (!validators) return [{ pointer: base, message: 'does not match any of the allowed forms' }];
  const runs: ErrorObject[][] = [];
  for (const validate of validators) {
    // A branch passing alone can only mean context mattered (unevaluatedProperties): say it plainly.
    if (validate(u.data)) return [{ pointer: base, message: 'does not match any of the allowed forms' }];
    runs.push([...(validate.errors ?? [])]);
  }
  const branches = validators.map((v) => schema.resolve(v.schema) ?? {});
  const naming = namingKeys(branches);
  let best = -1;
  let bestScore: [number, number] = [Infinity, Infinity];
  runs.forEach((run, i) => {
    if (ruledOut(run, naming[i]!, u.data)) return;
    const score: [number, number] = [run.filter((e) => e.instancePath === '').length, run.length];
    if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
      best = i;
      bestScore = score;
    }
  });
  if (best >= 0) return explainErrors(runs[best]!, schema).map((f) => ({ ...f, pointer: base + f.pointer }));
  return [{ pointer: base, message: summary(branches, naming, u) }];
}

/**
 * Whether the value was plainly not meant to be this branch: it has the wrong type or the
 * wrong discriminator constant, or it is a mapping with none of the keys that name the branch.
 */
function ruledOut(run: readonly ErrorObject[], naming: ReadonlySet<string>, data: unknown): boolean {
  if (naming.size > 0 && isMapping(data) && ![...naming].some((k) => Object.hasOwn(data as object, k))) return true;
  return run.some((e) => {
    if (e.instancePath === '') return e.keyword === 'type' || e.keyword === 'const' || e.keyword === 'enum' || e.keyword === 'false schema';
    return e.keyword === 'const' && /^\/[^/]*$/.test(e.instancePath); // a discriminator such as kind: a
  });
}

/** For mapping branches, the required keys that only some branches require: they name the branch. */
function namingKeys(branches: readonly AnySchemaObject[]): Set<string>[] {
  const required = branches.map((b) => (Array.isArray(b.required) ? (b.required as string[]) : null));
  const withRequired = required.filter((r): r is string[] => r !== null);
  const common = withRequired.length > 1 ? withRequired.reduce((a, r) => a.filter((k) => r.includes(k))) : (withRequired[0] ?? []);
  return required.map((r) => new Set((r ?? []).filter((k) => !common.includes(k))));
}

function summary(branches: readonly AnySchemaObject[], naming: readonly Set<string>[], u: ErrorObject): string {
  const data: unknown = u.data;
  let candidates = branches.map((b, i) => i).filter((i) => sameType(branches[i]!, data));
  if (candidates.length === 0) candidates = branches.map((_, i) => i);
  const constants = candidates.map((i) => constantsOf(branches[i]!));
  if (constants.every((c) => c !== null)) return `must be one of: ${unique(constants.flat().map(show)).join(', ')}`;

  const keyed = candidates.every((i) => isMappingSchema(branches[i]!) && naming[i]!.size > 0);
  if (keyed) {
    const title = (u.parentSchema as AnySchemaObject | undefined)?.title;
    const noun = typeof title === 'string' ? `a ${title.toLowerCase()}` : 'a mapping';
    const keys = candidates.map((i) => [...naming[i]!].map((k) => `${k}:`).join(' and '));
    const got = isMapping(data) ? '' : ` (got ${kindOf(data)})`;
    return `must be ${noun} with one of: ${unique(keys).join(', ')}${got}`;
  }
  const forms = unique(candidates.map((i) => describeBranch(branches[i]!, naming[i]!)));
  return `must be one of: ${forms.join(', ')} (got ${kindOf(data)})`;
}

function describeBranch(b: AnySchemaObject, naming: ReadonlySet<string>): string {
  if (typeof b.title === 'string') return b.title;
  const constants = constantsOf(b);
  if (constants) return constants.map(show).join(' or ');
  if (isMappingSchema(b)) return naming.size > 0 ? `a mapping with ${[...naming].map((k) => `${k}:`).join(' and ')}` : 'a mapping';
  if (typeof b.type === 'string' || Array.isArray(b.type)) return typeNoun(String(b.type));
  if (Object.keys(b).length === 0) return 'anything';
  return 'another form';
}

function constantsOf(b: AnySchemaObject): unknown[] | null {
  if ('const' in b) return [b.const];
  if (Array.isArray(b.enum)) return b.enum as unknown[];
  return null;
}

function isMappingSchema(b: AnySchemaObject): boolean {
  return b.type === 'object' || (b.type === undefined && (b.properties !== undefined || b.required !== undefined));
}

function isMapping(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a value has the JSON type a branch asks for (a branch without `type` accepts any). */
function sameType(b: AnySchemaObject, v: unknown): boolean {
  const types = typeof b.type === 'string' ? [b.type] : Array.isArray(b.type) ? (b.type as string[]) : null;
  if (!types) return isMappingSchema(b) ? isMapping(v) : true;
  return types.some((t) => {
    if (t === 'integer') return typeof v === 'number' && Number.isInteger(v);
    if (t === 'array') return Array.isArray(v);
    if (t === 'object') return isMapping(v);
    if (t === 'null') return v === null;
    return typeof v === t;
  });
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
