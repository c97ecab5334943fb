import { lookupTool, toolNames } from '../tools/model.ts';
import type { YamlPath } from '../yaml/load.ts';
import { closest, type CompileContext } from './compile-context.ts';

/** True when no string anywhere in `value` holds an expression: the value is known at load. */
function literal(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('${');
  if (Array.isArray(value)) return value.every(literal);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(literal);
  return true;
}

/**
 * A literal tool.call name must be in tools/catalog.yaml (TOOL_UNKNOWN, with the closest name),
 * literal args must fit the tool's schema (TOOL_INVALID_ARGS, at with.args) and a read_only:
 * must say what the catalog says (TOOL_READ_ONLY): whether a call changes things is the catalog's.
 */
export function checkToolCall(ctx: CompileContext, input: Record<string, unknown>, path: YamlPath): void {
  const name = input['name'];
  if (typeof name !== 'string' || name.includes('${')) return;
  const tools = ctx.caps.tools ?? null;
  const def = tools === null ? undefined : lookupTool(tools, name);
  if (def === undefined) {
    const known = tools === null ? [] : toolNames(tools);
    const near = closest(name, known);
    const hint = near !== null ? `did you mean ${near}?` : known.length === 0 ? 'the project has no tools: add the tool to tools/catalog.yaml' : `add it to tools/catalog.yaml (it has ${known.length} tools)`;
    ctx.report('TOOL_UNKNOWN', `tool ${JSON.stringify(name)} is not in the tool catalog`, [...path, 'with', 'name'], { hint });
    return;
  }
  const args = input['args'];
  if (args === undefined || (typeof args === 'object' && args !== null && !Array.isArray(args) && literal(args))) {
    const problem = def.checkArgs(args ?? {});
    if (problem !== null) {
      ctx.report('TOOL_INVALID_ARGS', `tool ${name}: invalid args: ${problem}`, args === undefined ? [...path, 'with'] : [...path, 'with', 'args'], {
        hint: `its arguments: ${Object.keys((def.argsSchema['properties'] as object | undefined) ?? {}).join(', ') || 'none'}`,
      });
    }
  }
  const readOnly = input['read_only'];
  if (typeof readOnly === 'boolean' && readOnly !== def.readOnly) {
    ctx.report(
      'TOOL_READ_ONLY',
      def.readOnly ? `tool ${name} is read-only in the catalog; read_only: false says otherwise` : `tool ${name} changes things (${def.level}): a playbook cannot call it read-only`,
      [...path, 'with', 'read_only'],
      { hint: 'drop read_only: the tool catalog says whether a tool changes things' },
    );
  }
}
