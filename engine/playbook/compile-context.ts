import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.ts';
import { diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { editDistance } from '../expr/closest.ts';
import { NO_FIELDS, type RootFields } from '../expr/check.ts';
import { compileExpression, compileTemplate, compileValue, type CompiledExpr } from '../expr/index.ts';
import type { IntentCatalog } from '../intents/model.ts';
import type { ToolCatalog } from '../tools/model.ts';
import type { StepExecutor } from '../steps/executor.ts';
import type { LoadedYaml, YamlPath } from '../yaml/load.ts';
import { BrokenParts } from './broken-parts.ts';

/** What a playbook is checked against: the capability list (executors, intents, prompts). */
export interface Capabilities {
  executors: ReadonlyMap<string, StepExecutor<never>>;
  catalog: IntentCatalog | null;
  prompts: ReadonlySet<string>;
  /** The tools a literal tool.call name may name; absent or empty: none (TOOL_UNKNOWN). */
  tools?: ToolCatalog | null;
}

/** Shared state of one playbook's compilation: where to report and which names exist. */
export class CompileContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly doc: LoadedYaml,
    readonly caps: Capabilities,
    readonly roots: ReadonlySet<string>,
    /** Parts that failed the schema: builders skip them (their problems are already reported). */
    readonly broken: BrokenParts = BrokenParts.none(),
    /** Known fields of roots (`event`, from the sources' event schema). */
    readonly fields: RootFields = NO_FIELDS,
    /** Steps inside a for_each body, by id, with their loop: read from outside, they are not there. */
    readonly loopOnly: ReadonlyMap<string, string> = new Map(),
    /** Names whose value is an object or a list (event, a step's output): never text in a template. */
    readonly objects: ReadonlySet<string> = new Set(),
    /** The ids of the steps that ask a model (llm.*): their answers are text a model read, for FREE_TEXT_TARGET. */
    readonly modelSteps: ReadonlySet<string> = new Set(),
  ) {}

  report(code: DiagnosticCode, message: string, path: YamlPath, options: { key?: boolean; hint?: string; severity?: 'error' | 'warning' } = {}): void {
    const location = options.key ? this.doc.locateKey(path) : this.doc.locate(path);
    this.diagnostics.push(diagnostic(code, message, location, options));
  }

  at(path: YamlPath): SourceLocation {
    return this.doc.locate(path);
  }

  expr(value: unknown, path: YamlPath, extraRoots: readonly string[] = []): CompiledExpr | null {
    const roots = extraRoots.length ? new Set([...this.roots, ...extraRoots]) : this.roots;
    const options = { roots, location: this.doc.locateScalarContent(path), fields: this.fieldsBeside(extraRoots), objects: this.objects };
    // A string with ${...} is a template (gate keys such as "maintenance:${event.host}").
    const r = typeof value === 'string' && value.includes('${') ? compileTemplate(value, options) : compileExpression(value as string, options);
    this.diagnostics.push(...r.diagnostics.map((d) => this.outOfLoop(d, roots)));
    return r.expr;
  }

  /** An unknown name that is a step of a loop body read from outside it gets the reason. */
  private outOfLoop(d: Diagnostic, roots: ReadonlySet<string>): Diagnostic {
    const name = d.code === 'EXPR_UNKNOWN_NAME' ? /^unknown name '([^']+)'/.exec(d.message)?.[1] : undefined;
    const loop = name === undefined || roots.has(name) ? undefined : this.loopOnly.get(name);
    if (loop === undefined) return d;
    const { hint: _hint, ...rest } = d;
    return { ...rest, code: 'STEP_OUT_OF_LOOP', message: `step ${name} runs inside the for_each ${loop}: its output exists only within each item; read ${loop} (one row per item) instead` };
  }

  value(value: unknown, path: YamlPath, extraRoots: readonly string[] = []): CompiledExpr | null {
    const roots = extraRoots.length ? new Set([...this.roots, ...extraRoots]) : this.roots;
    const r = compileValue(value, { roots, locate: (p) => this.doc.locateScalarContent([...path, ...p]), fields: this.fieldsBeside(extraRoots), objects: this.objects });
    this.diagnostics.push(...r.diagnostics.map((d) => this.outOfLoop(d, roots)));
    return r.expr;
  }

  /** A for_each `as: event` hides the event: its fields are then unknown. */
  private fieldsBeside(extraRoots: readonly string[]): RootFields {
    if (!extraRoots.some((r) => this.fields.has(r))) return this.fields;
    return new Map([...this.fields].filter(([root]) => !extraRoots.includes(root)));
  }
}

/** The closest known name, for "did you mean" hints. */
export function closest(name: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}
