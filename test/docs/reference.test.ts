import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { runEvent, type ScriptedApproval } from '../../cli/testing/run-event.ts';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { compileExpression, compileTemplate, parseDuration } from '../../engine/expr/index.ts';
import { MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_LIST_LENGTH, MAX_STRING_LENGTH } from '../../engine/expr/bounds.ts';
import { FUNCTIONS } from '../../engine/expr/functions.ts';
import { BINARY_OPERATORS, UNARY_OPERATORS } from '../../engine/expr/operators.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import type { TraceEvent } from '../../engine/trace/trace.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { NormalizedEvent } from '../../schemas/event.ts';
import { createScriptedWorld, type WorldFixture } from '../../runtime/recording/world.ts';
import { CAPS, EVENT, HEADER, stepEnd } from '../run/harness.ts';
import { REPO } from '../support/fixture-project.ts';

/**
 * The reference docs are tested, so they cannot drift from the code:
 * - docs/steps.md: every ```yaml example block is a playbook body (loaded with the harness's
 *   capabilities and the shipped tool catalog, lint clean) run in a scripted world (the ```json
 *   fixtures block just before it) as `engine test` runs a case; each ```json output ID /
 *   ```json error ID block just after it is the named step's step.end output (or error) in the
 *   trace, exactly, and a ```json run block fields of the run's summary. Every executor of
 *   STEP_EXECUTORS has a section with an example, its declared effect, its default timeout and
 *   an input table naming exactly its schema's properties (with the right required column);
 *   every composite step has an example.
 * - docs/expressions.md: every row of an `| expression | value |` table is evaluated against the
 *   ```json scope block, every `| template | value |` row rendered, every `| expression | lint
 *   error |` row refused with that code; every function of FUNCTIONS and every operator has a
 *   row, and the bounds stated are the code's.
 */

interface Block {
  line: number;
  info: string[];
  text: string;
  /** The `## ` section it is in, and the `### ` subsection (empty before the first). */
  section: string;
  sub: string;
}

interface Doc {
  file: string;
  lines: string[];
  blocks: Block[];
  /** Lines outside fenced blocks, with their number and section. */
  prose: { line: number; text: string; section: string }[];
}

function readDoc(file: string): Doc {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  const prose: Doc['prose'] = [];
  let section = '';
  let sub = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S.*)?$/.exec(lines[i]!);
    if (!open) {
      const heading = /^(##|###) (.*)$/.exec(lines[i]!);
      if (heading?.[1] === '##') [section, sub] = [heading[2]!.trim(), ''];
      else if (heading) sub = heading[2]!.trim();
      prose.push({ line: i + 1, text: lines[i]!, section });
      continue;
    }
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    blocks.push({ line: start, info: (open[1] ?? '').trim().split(/\s+/), text: lines.slice(start, i + 1).join('\n'), section, sub });
    i++;
  }
  return { file, lines, blocks, prose };
}

/** The rows of every table whose header starts with `header` (cells trimmed, `\|` unescaped). */
function tables(doc: Doc, header: readonly string[]): { line: number; section: string; cells: string[] }[] {
  const out: { line: number; section: string; cells: string[] }[] = [];
  const cellsOf = (text: string) =>
    text
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replaceAll('\\|', '|'));
  for (let i = 0; i < doc.prose.length; i++) {
    const h = cellsOf(doc.prose[i]!.text);
    if (!doc.prose[i]!.text.trim().startsWith('|') || header.some((name, k) => h[k]?.toLowerCase() !== name)) continue;
    // Skip the header and the --- line; rows go on while lines start with |.
    for (let j = i + 2; j < doc.prose.length && doc.prose[j]!.text.trim().startsWith('|') && doc.prose[j]!.line === doc.prose[i]!.line + (j - i); j++) {
      out.push({ line: doc.prose[j]!.line, section: doc.prose[j]!.section, cells: cellsOf(doc.prose[j]!.text) });
    }
  }
  return out;
}

/** `x` → x: the text of a cell written as one code span. */
function code(cell: string): string {
  const m = /^`(.*)`$/.exec(cell);
  if (!m) throw new Error(`expected a code span, got ${cell}`);
  return m[1]!;
}

// ---------------------------------------------------------------------------------------------
// docs/steps.md

const STEPS = readDoc('docs/steps.md');
const PROJECT = loadProject([], { root: REPO });
/** The harness's capabilities, with the shipped tool catalog, so examples call real tools. */
const DOC_CAPS = { ...CAPS, tools: PROJECT.tools };

interface Fixtures extends Omit<WorldFixture, 'now'> {
  now?: string;
  /** State keys set before the run. */
  state?: Record<string, unknown>;
  /** People's decisions by approval.request step id, as in an `engine test` case. */
  approvals?: Record<string, ScriptedApproval>;
  /** Fields that replace the default event's. */
  event?: Record<string, unknown>;
}

interface Example {
  line: number;
  section: string;
  sub: string;
  shadow: boolean;
  /** Lint warnings the example shows on purpose: `warns:CODE` in its info string. */
  warns: string[];
  body: string;
  fixtures: Fixtures;
  expected: { kind: 'output' | 'error'; step: string; value: unknown; line: number }[];
  /** A ```json run block: fields of the run's summary (outcome, reason, decision, path). */
  run: { value: Record<string, unknown>; line: number } | null;
}

function examples(doc: Doc): Example[] {
  const out: Example[] = [];
  doc.blocks.forEach((b, i) => {
    if (b.info[0] !== 'yaml' || b.info[1] !== 'example') return;
    const before = doc.blocks[i - 1];
    const fixtures = before && before.info[0] === 'json' && before.info[1] === 'fixtures' ? (JSON.parse(before.text) as Fixtures) : {};
    const expected: Example['expected'] = [];
    let run: Example['run'] = null;
    for (let j = i + 1; j < doc.blocks.length; j++) {
      const a = doc.blocks[j]!;
      if (a.info[0] === 'json' && a.info[1] === 'run' && run === null) run = { value: JSON.parse(a.text) as Record<string, unknown>, line: a.line };
      else if (a.info[0] === 'json' && (a.info[1] === 'output' || a.info[1] === 'error')) expected.push({ kind: a.info[1], step: a.info[2]!, value: JSON.parse(a.text), line: a.line });
      else break;
    }
    out.push({ line: b.line, section: b.section, sub: b.sub, shadow: b.info.includes('shadow'), warns: b.info.filter((t) => t.startsWith('warns:')).map((t) => t.slice(6)), body: b.text, fixtures, expected, run });
  });
  return out;
}

const EXAMPLES = examples(STEPS);

async function runExample(ex: Example): Promise<{ trace: TraceEvent[]; summary: Record<string, unknown> }> {
  const where = `docs/steps.md:${ex.line}`;
  const { playbook, diagnostics } = loadPlaybook(where, HEADER + ex.body, DOC_CAPS);
  if (!playbook) throw new Error(`${where}: the example does not load:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  // Clean, but for the warnings the example is there to show.
  expect(diagnostics.filter((d) => !(d.severity === 'warning' && ex.warns.includes(d.code))).map(formatDiagnostic)).toEqual([]);
  expect(diagnostics.map((d) => d.code)).toEqual(ex.warns);
  const { state, approvals, event, now, ...world } = ex.fixtures;
  const w = createScriptedWorld({ now: now ?? '2025-03-03T10:00:00Z', ...world });
  for (const [key, value] of Object.entries(state ?? {})) await w.state.set(key, value as never);
  const r = await runEvent({ ...PROJECT, playbooks: [playbook] }, w, { ...EVENT, ...event }, { shadow: ex.shadow, approvals: approvals ?? {} });
  if (!r.summary) throw new Error(`${where}: the example's playbook did not run: ${JSON.stringify(r.skipped)}`);
  const summary = JSON.parse(JSON.stringify(r.summary)) as Record<string, unknown> & { trace: TraceEvent[] };
  return { trace: summary.trace, summary };
}

const FIXTURE_KEYS: ReadonlySet<string> = new Set(['now', 'llm', 'memory', 'tools', 'shell', 'http', 'state', 'approvals', 'event']);

describe('docs/steps.md: every example runs as documented', () => {
  it('has examples', () => {
    expect(EXAMPLES.length).toBeGreaterThan(STEP_EXECUTORS.size);
  });
  it('has no block an example does not own (a misplaced fixtures or output block would be ignored)', () => {
    const kinds = STEPS.blocks.map((b) => `${b.info[0]} ${b.info[1] ?? ''}`.trim());
    const orphans = STEPS.blocks.filter((b, i) => {
      const kind = kinds[i]!;
      if (kind === 'json fixtures') return kinds[i + 1] !== 'yaml example';
      if (kind === 'json output' || kind === 'json error' || kind === 'json run') return !/^(yaml example|json output|json error|json run)$/.test(kinds[i - 1] ?? '');
      return false;
    });
    expect(orphans.map((b) => `docs/steps.md:${b.line}: ${b.info.join(' ')}`)).toEqual([]);
  });
  it('scripts only what the scripted world knows', () => {
    expect(EXAMPLES.flatMap((ex) => Object.keys(ex.fixtures).filter((k) => !FIXTURE_KEYS.has(k)).map((k) => `docs/steps.md:${ex.line}: ${k}`))).toEqual([]);
  });
  it.each(EXAMPLES.map((ex) => [`${ex.section} (docs/steps.md:${ex.line})`, ex] as const))('%s', async (_name, ex) => {
    expect(ex.expected.length, 'an example is followed by at least one ```json output STEP block').toBeGreaterThan(0);
    const { trace, summary } = await runExample(ex);
    if (ex.run !== null) {
      const seen = Object.fromEntries(Object.keys(ex.run.value).map((k) => [k, summary[k]]));
      expect(seen, `docs/steps.md:${ex.run.line}: the run`).toEqual(ex.run.value);
    }
    for (const want of ex.expected) {
      const ends = stepEnd(trace, want.step);
      expect(ends.length, `docs/steps.md:${want.line}: step ${want.step} never ended`).toBeGreaterThan(0);
      const end = ends[ends.length - 1]!;
      if (want.kind === 'output') {
        expect({ status: end.status, output: end.output }, `docs/steps.md:${want.line}`).toEqual({ status: end.status === 'skipped' ? 'skipped' : 'ok', output: want.value });
      } else {
        expect({ status: end.status, error: end.error }, `docs/steps.md:${want.line}`).toEqual({ status: 'error', error: want.value });
      }
    }
  });
});

describe('docs/steps.md: every executor and composite step is documented', () => {
  it.each([
    ['`parallel`', 'parallel:'],
    ['`for_each`', 'for_each:'],
    ['Groups', 'steps:'],
    ['`switch`', 'switch:'],
    ['`decide`', 'decide:'],
  ])('the composite step %s has an example', (sub, keyword) => {
    expect(EXAMPLES.some((ex) => ex.section === 'Composite steps' && ex.sub === sub && ex.body.includes(keyword))).toBe(true);
  });

  const sections = new Map<string, Doc['prose']>();
  for (const p of STEPS.prose) {
    const name = /^`([a-z.]+)`$/.exec(p.section)?.[1];
    if (name !== undefined) sections.set(name, [...(sections.get(name) ?? []), p]);
  }
  const inputRows = tables(STEPS, ['input', 'type', 'required', 'default', 'meaning']);

  it('lists every executor at a glance', () => {
    const glance = tables(STEPS, ['executor', 'does', 'output']).map((r) => /^\[`([a-z.]+)`\]/.exec(r.cells[0]!)?.[1]);
    expect(glance).toEqual([...STEP_EXECUTORS.keys()]);
  });

  it('documents no executor that does not exist', () => {
    expect([...sections.keys()].filter((n) => !STEP_EXECUTORS.has(n))).toEqual([]);
  });

  it.each([...STEP_EXECUTORS.values()].map((e) => [e.name, e] as const))('%s', (name, executor) => {
    expect(sections.has(name), `docs/steps.md has no section ## \`${name}\``).toBe(true);
    expect(EXAMPLES.filter((ex) => ex.section === `\`${name}\``).length, `${name}: no example`).toBeGreaterThan(0);
    // Its declared effect, as the code says.
    const effect = sections.get(name)!.map((p) => /^\*\*Declared effect:\*\* `(\w+)`/.exec(p.text)?.[1]).find((x) => x !== undefined);
    expect(effect, `${name}: a "**Declared effect:** \`...\`" line`).toBe(executor.effect);
    // Its default timeout.
    const timeout = sections.get(name)!.map((p) => /^\*\*Default timeout:\*\* `(\w+)`/.exec(p.text)?.[1]).find((x) => x !== undefined);
    expect(timeout === undefined ? undefined : parseDuration(timeout), `${name}: a "**Default timeout:** \`...\`" line`).toBe(executor.defaultTimeoutMs);
    // Its inputs: exactly the schema's properties, each required as the schema says.
    const schema = executor.input as TSchema & { properties?: Record<string, unknown>; required?: string[] };
    const rows = inputRows.filter((r) => r.section === `\`${name}\``);
    if (schema.properties === undefined) {
      // A record of any keys (value): its table has one row for them.
      expect(rows.length, `${name}: its input table`).toBeGreaterThan(0);
      return;
    }
    const documented = Object.fromEntries(rows.map((r) => [code(r.cells[0]!), r.cells[2]!.toLowerCase().startsWith('yes')]));
    const actual = Object.fromEntries(Object.keys(schema.properties).map((k) => [k, (schema.required ?? []).includes(k)]));
    expect(documented).toEqual(actual);
  });
});

// ---------------------------------------------------------------------------------------------
// docs/expressions.md

const EXPRS = readDoc('docs/expressions.md');
const scopeBlock = EXPRS.blocks.find((b) => b.info[0] === 'json' && b.info[1] === 'scope');
const SCOPE = JSON.parse(scopeBlock?.text ?? '{}') as Record<string, unknown>;
const ROOTS = new Set(Object.keys(SCOPE).filter((k) => k !== '$now'));
/** As in a playbook started by a webhook: `event.*` names a field of the normalized event. */
const FIELDS = new Map([['event', new Set(Object.keys(NormalizedEvent.properties))]]);
const location = { file: 'docs/expressions.md', line: 1, column: 1 };

const VALUE_ROWS = tables(EXPRS, ['expression', 'value']);
const TEMPLATE_ROWS = tables(EXPRS, ['template', 'value']);
const ERROR_ROWS = tables(EXPRS, ['expression', 'lint error']);

describe('docs/expressions.md: every row evaluates as documented', () => {
  it('has a sample scope and rows', () => {
    expect(scopeBlock).toBeDefined();
    expect(VALUE_ROWS.length).toBeGreaterThan(Object.keys(FUNCTIONS).length);
  });

  it.each(VALUE_ROWS.map((r) => [`docs/expressions.md:${r.line}: ${r.cells[0]}`, r] as const))('%s', (_name, r) => {
    const source = code(r.cells[0]!);
    const { expr, diagnostics } = compileExpression(source, { roots: ROOTS, fields: FIELDS, location });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(expr!.evaluate(structuredClone(SCOPE))).toEqual(JSON.parse(code(r.cells[1]!)));
  });

  it.each(TEMPLATE_ROWS.map((r) => [`docs/expressions.md:${r.line}: ${r.cells[0]}`, r] as const))('%s', (_name, r) => {
    const { expr, diagnostics } = compileTemplate(code(r.cells[0]!), { roots: ROOTS, fields: FIELDS, location });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(expr!.evaluate(structuredClone(SCOPE))).toEqual(JSON.parse(code(r.cells[1]!)));
  });

  it.each(ERROR_ROWS.map((r) => [`docs/expressions.md:${r.line}: ${r.cells[0]}`, r] as const))('%s', (_name, r) => {
    const source = code(r.cells[0]!);
    const { expr, diagnostics } = (source.includes('${') ? compileTemplate : compileExpression)(source, { roots: ROOTS, fields: FIELDS, location });
    expect(expr).toBeNull();
    expect(diagnostics.map((d) => d.code)).toContain(code(r.cells[1]!));
  });

  it('states the bounds the code enforces', () => {
    const bounds = EXPRS.prose.filter((p) => p.section === 'Bounds').map((p) => p.text).join('\n');
    for (const n of [MAX_EXPRESSION_LENGTH, MAX_DEPTH, MAX_STRING_LENGTH, MAX_LIST_LENGTH]) expect(bounds).toContain(String(n));
  });

  it.each([...Object.keys(BINARY_OPERATORS), ...Object.keys(UNARY_OPERATORS)])('the operator %s has a row', (op) => {
    const escaped = op.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const used = /^[a-z ]+$/.test(op) ? new RegExp(`(^|[^A-Za-z0-9_.])${escaped}([^A-Za-z0-9_]|$)`) : new RegExp(` ${escaped} |^${escaped}`);
    expect(VALUE_ROWS.some((r) => used.test(code(r.cells[0]!)))).toBe(true);
  });

  it.each(Object.keys(FUNCTIONS))('%s() has a row', (name) => {
    const called = new RegExp(`(^|[^A-Za-z0-9_.])${name}\\(`);
    expect(VALUE_ROWS.some((r) => called.test(code(r.cells[0]!)))).toBe(true);
  });
});
