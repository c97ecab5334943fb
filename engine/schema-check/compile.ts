import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext the default import is typed as the module object.
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/**
 * A schema compiled once, with what the error explainer needs besides ajv's errors: a
 * validator for each branch of each union (to say why the closest branch failed, instead of
 * printing every branch's errors) and a way to follow `$ref` when describing a branch.
 */
export interface CompiledSchema {
  validate: ValidateFunction;
  /** Validators of a union's branches, looked up by the `anyOf`/`oneOf` array an error reports as its schema. */
  branchValidators(branches: unknown): ValidateFunction[] | null;
  /** The schema a `$ref` names (resolved by id), or the schema itself. */
  resolve(schema: unknown): AnySchemaObject | null;
}

const compiled = new WeakMap<object, CompiledSchema>();
let anonymous = 0;
let anonymousAjv: Ajv2020 | null = null;

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

/** Compiles once per schema object; later calls with the same object reuse the result. */
export function compileSchema(schema: object, extraSchemas: readonly object[] = []): CompiledSchema {
  const cached = compiled.get(schema);
  if (cached) return cached;
  // A schema of its own (an $id, schemas it refers to) gets its own ajv; the anonymous ones (the
  // step executors' inputs, checked at lint) share one, since an ajv costs far more than a compile.
  const ajv = extraSchemas.length === 0 && typeof (schema as { $id?: unknown }).$id !== 'string' ? (anonymousAjv ??= newAjv()) : newAjv();
  const unions = new Map<unknown, string>();
  for (const extra of extraSchemas) {
    const copy = plain(extra);
    ajv.addSchema(copy);
    if (typeof copy.$id === 'string') indexUnions(copy, copy.$id, '', unions);
  }
  // TypeBox adds symbol keys; a JSON copy drops them, and gives the root an id to point into.
  const root = plain(schema);
  if (typeof root.$id !== 'string') root.$id = `heal:schema-${++anonymous}`;
  const rootId = root.$id as string;
  indexUnions(root, rootId, '', unions);
  ajv.addSchema(root);
  const validate = ajv.getSchema(rootId);
  if (!validate) throw new Error(`schema ${rootId} did not compile`);

  const branchCache = new Map<unknown, ValidateFunction[] | null>();
  const result: CompiledSchema = {
    validate,
    branchValidators(branches) {
      if (branchCache.has(branches)) return branchCache.get(branches) ?? null;
      const ref = unions.get(branches);
      let validators: ValidateFunction[] | null = null;
      if (ref && Array.isArray(branches)) {
        try {
          validators = branches.map((_, i) => {
            const v = ajv.getSchema(`${ref}/${i}`);
            if (!v) throw new Error(`no schema at ${ref}/${i}`);
            return v;
          });
        } catch {
          validators = null; // the explainer falls back to a generic message
        }
      }
      branchCache.set(branches, validators);
      return validators;
    },
    resolve(s) {
      if (typeof s !== 'object' || s === null) return null;
      const ref = (s as AnySchemaObject).$ref;
      if (typeof ref !== 'string') return s as AnySchemaObject;
      try {
        const target = ajv.getSchema(ref)?.schema;
        return typeof target === 'object' && target !== null ? (target as AnySchemaObject) : null;
      } catch {
        return null;
      }
    },
  };
  compiled.set(schema, result);
  return result;
}

function plain(schema: object): AnySchemaObject {
  return JSON.parse(JSON.stringify(schema)) as AnySchemaObject;
}

// Values of these keywords are data, not schemas.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
// Values of these keywords map names to schemas.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Records `resource#pointer` for every anyOf/oneOf array, keyed by the array itself. */
function indexUnions(node: unknown, resource: string, pointer: string, into: Map<unknown, string>, namesSchemas = false): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => indexUnions(item, resource, `${pointer}/${i}`, into));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    // under `properties`, a key such as `default` names a property; elsewhere it holds data
    if (!namesSchemas && DATA_KEYWORDS.has(key)) continue;
    const child = `${pointer}/${encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'))}`;
    if (!namesSchemas && (key === 'anyOf' || key === 'oneOf') && Array.isArray(value) && !into.has(value)) {
      into.set(value, `${resource}#${child}`);
    }
    indexUnions(value, resource, child, into, !namesSchemas && SCHEMA_MAPS.has(key));
  }
}
