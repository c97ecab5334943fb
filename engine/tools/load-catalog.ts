import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { ToolCatalog as ToolCatalogSchema, type ToolCatalogDocument, type ToolSpecDocument } from '../../schemas/tool-catalog.ts';
import { compareDiagnostics, diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { createSchemaCheck } from '../schema-check/index.ts';
import { loadYaml, type LoadedYaml } from '../yaml/load.ts';
import type { ToolCatalog, ToolDefinition } from './model.ts';

// ajv-formats is CommonJS: under NodeNext the default import is typed as the module object.
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** A file's name (as diagnostics should print it) and its bytes; the caller does the reading. */
export interface ToolCatalogSource {
  file: string;
  content: Uint8Array | string;
}

export interface ToolCatalogLoad {
  /** Null when any error was found: a half-valid catalog is never used. */
  catalog: ToolCatalog | null;
  diagnostics: Diagnostic[];
}

const checkCatalog = createSchemaCheck<ToolCatalogDocument>(ToolCatalogSchema);

/**
 * Loads tools/catalog.yaml: parse, schema, compile each tool's argument schema (ajv, draft
 * 2020-12, strict), check its secret fields and level, freeze. Pure: never throws, never reads a file.
 * A file with only comments is an empty catalog.
 */
export function loadToolCatalog(source: ToolCatalogSource): ToolCatalogLoad {
  const yaml = loadYaml(source.file, source.content);
  const diagnostics: Diagnostic[] = [...yaml.diagnostics];
  if (!yaml.ok) return { catalog: null, diagnostics };
  let doc: ToolCatalogDocument = {};
  if (yaml.value !== null) {
    const checked = checkCatalog(yaml);
    if (!checked.ok) return { catalog: null, diagnostics: [...diagnostics, ...checked.diagnostics].sort(compareDiagnostics) };
    doc = checked.value;
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const tools: Record<string, ToolDefinition> = Object.create(null);
  for (const [name, spec] of Object.entries(doc)) {
    const def = buildTool(ajv, name, spec, yaml, diagnostics);
    if (def !== null) tools[name] = def;
  }
  diagnostics.sort(compareDiagnostics);
  if (hasErrors(diagnostics)) return { catalog: null, diagnostics };
  return { catalog: Object.freeze(tools), diagnostics };
}

function buildTool(ajv: Ajv2020, name: string, spec: ToolSpecDocument, yaml: LoadedYaml, out: Diagnostic[]): ToolDefinition | null {
  const before = out.length;
  const schema = deepFreeze({ ...spec.args, additionalProperties: spec.args.additionalProperties ?? false }) as Record<string, unknown>;
  let validate: ReturnType<Ajv2020['compile']> | null = null;
  try {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema)) as object);
  } catch (e) {
    out.push(diagnostic('TOOL_CATALOG_ARGS', `tool ${name}: args is not a valid JSON Schema: ${(e as Error).message}`, yaml.locate([name, 'args'])));
  }
  const properties = spec.args.properties ?? {};
  (spec.text ?? []).forEach((field, index) => {
    if (!Object.prototype.hasOwnProperty.call(properties, field)) {
      out.push(diagnostic('TOOL_CATALOG_SECRET', `tool ${name}: text field ${JSON.stringify(field)} is not one of its arguments`, yaml.locate([name, 'text', index]), { hint: `arguments: ${Object.keys(properties).sort().join(', ') || 'none'}` }));
    }
  });
  const secret = spec.secret ?? [];
  secret.forEach((field, index) => {
    if (!Object.prototype.hasOwnProperty.call(properties, field)) {
      out.push(
        diagnostic('TOOL_CATALOG_SECRET', `tool ${name}: secret field ${JSON.stringify(field)} is not one of its arguments`, yaml.locate([name, 'secret', index]), {
          hint: `arguments: ${Object.keys(properties).sort().join(', ') || 'none'}`,
        }),
      );
    }
  });
  if (spec.read_only && spec.level !== 'L1') {
    out.push(
      diagnostic('TOOL_CATALOG_LEVEL', `tool ${name} is read-only but ${spec.level}: a tool that changes nothing is L1`, yaml.locate([name, 'level']), {
        hint: 'L2 and L3 tools change things: set read_only: false, or level: L1',
      }),
    );
  }
  if (validate === null || out.length > before) return null;
  const check = validate;
  return Object.freeze({
    name,
    description: spec.description,
    server: spec.server,
    level: spec.level,
    readOnly: spec.read_only,
    idempotent: spec.idempotent,
    timeoutSeconds: spec.timeout_seconds,
    argsSchema: schema,
    secretArgs: Object.freeze([...secret]),
    secretResult: Object.freeze([...(spec.secret_result ?? [])]),
    textArgs: Object.freeze([...(spec.text ?? [])]),
    checkArgs: (args: unknown) => (check(args) ? null : describeAjvErrors(check.errors ?? [])),
    location: yaml.locateKey([name]),
  });
}

/** "/user: must be string; (args): must have required property 'ticket_id'". */
function describeAjvErrors(errors: readonly ErrorObject[]): string {
  const parts = errors.map((e) => {
    const where = e.instancePath === '' ? '(args)' : e.instancePath;
    const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${where}: ${e.message ?? 'is invalid'}${extra}`;
  });
  return [...new Set(parts)].join('; ') || '(args): does not match its schema';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
