import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { LoadedYaml } from '../yaml/load.ts';
import { compileSchema, type CompiledSchema } from './compile.ts';
import type { Finding } from './messages.ts';
import { displayPath, pointerToPath } from './paths.ts';
import { explainErrors } from './unions.ts';

/**
 * Checks a loaded YAML file against a JSON Schema (draft 2020-12, strict) and reports each
 * problem at the YAML node it is about. When the file did not load, the check reports the
 * loader's diagnostics and nothing else.
 */
export interface SchemaCheck<T> {
  (loaded: LoadedYaml): { ok: true; value: T; diagnostics: [] } | { ok: false; diagnostics: Diagnostic[]; problems?: SchemaProblem[] };
}

/**
 * Where each schema problem is, as a path into the value (with the offending key appended for
 * an unknown property): later stages use it to skip the broken parts and check the rest.
 * Absent when the file did not load.
 */
export interface SchemaProblem {
  path: (string | number)[];
  /** The problem is the key at the end of `path` (an unknown property), not a value. */
  key: boolean;
}

/**
 * `schema` is typically a TypeBox schema with an `$id`; `extraSchemas` are schemas it refers
 * to by `$ref`. Compiled on the first check, once per schema object.
 */
export function createSchemaCheck<T>(schema: object, extraSchemas: object[] = []): SchemaCheck<T> {
  let compiled: CompiledSchema | null = null;
  return (loaded) => {
    if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
    compiled ??= compileSchema(schema, extraSchemas);
    const value = loaded.value;
    if (compiled.validate(value)) return { ok: true, value: value as T, diagnostics: [] };
    const findings = explainErrors([...(compiled.validate.errors ?? [])], compiled);
    if (findings.length === 0) findings.push({ pointer: '', message: 'does not match its schema' });
    const problems = findings.map((f): SchemaProblem => {
      const path = pointerToPath(f.pointer, value);
      return f.key === undefined ? { path, key: false } : { path: [...path, f.key], key: true };
    });
    return { ok: false, diagnostics: locate(findings, loaded), problems };
  };
}

/** A file with thousands of problems is one mistake repeated; the first hundred tell it. */
const MAX_DIAGNOSTICS = 100;

function locate(findings: readonly Finding[], loaded: LoadedYaml): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const path = pointerToPath(f.pointer, loaded.value);
    const location = f.key === undefined ? loaded.locate(path) : loaded.locateKey([...path, f.key]);
    const where = displayPath(path);
    const message = where === '' ? f.message : `${where}: ${f.message}`;
    const key = `${location.line}:${location.column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic('SCHEMA', message, location, f.hint === undefined ? {} : { hint: f.hint }));
  }
  out.sort(compareDiagnostics);
  if (out.length <= MAX_DIAGNOSTICS) return out;
  const shown = out.slice(0, MAX_DIAGNOSTICS);
  const last = shown[shown.length - 1]!;
  shown.push(diagnostic('SCHEMA', `${out.length - MAX_DIAGNOSTICS} more schema problems are not shown`, last.location));
  return shown;
}
