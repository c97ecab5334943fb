import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { createSchemaCheck } from '../schema-check/index.ts';
import type { LoadedYaml } from '../yaml/load.ts';
import { closest } from '../playbook/compile-context.ts';
import { PlaybookTests, type PlaybookTestsDocument } from '../../schemas/playbook-test.ts';
import type { Step } from '../playbook/model.ts';

const checkSchema = createSchemaCheck<PlaybookTestsDocument>(PlaybookTests);

/**
 * A test-case file, checked as what it is: its own schema (schemas/playbook-test.ts), then the
 * playbook it names must be one of `playbooks`. Lint and `engine test` both use it; `lookedIn`
 * and `nearby` (other playbook names, for a "did you mean") only improve the message.
 */
export function checkTestCases(
  doc: LoadedYaml,
  playbooks: ReadonlySet<string>,
  lookedIn: readonly string[] = [],
  nearby: Iterable<string> = playbooks,
  stepIds?: ReadonlySet<string>,
): { tests: PlaybookTestsDocument | null; diagnostics: Diagnostic[] } {
  const checked = checkSchema(doc);
  if (!checked.ok) return { tests: null, diagnostics: checked.diagnostics };
  const tests = checked.value;
  if (!playbooks.has(tests.playbook)) {
    const near = closest(tests.playbook, nearby);
    const where = lookedIn.length ? ` (looked in ${lookedIn.join(', ')})` : '';
    const d = diagnostic('TEST_UNKNOWN_PLAYBOOK', `no playbook named ${tests.playbook}${where}`, doc.locate(['playbook']), near ? { hint: `did you mean ${near}?` } : {});
    return { tests: null, diagnostics: [d] };
  }
  return { tests, diagnostics: stepIds === undefined ? [] : unknownSteps(doc, tests, stepIds) };
}

/** Every step id of a playbook, nested ones included: the names an expected path may use. */
export function stepIdsOf(steps: readonly Step[]): Set<string> {
  const ids = new Set<string>();
  const walk = (list: readonly Step[]) => {
    for (const s of list) {
      ids.add(s.id);
      if (s.kind === 'parallel') walk(s.branches);
      else if (s.kind === 'for_each' || s.kind === 'group') walk(s.steps);
    }
  };
  walk(steps);
  return ids;
}

/** A path through a step that does not exist can never match: say so at lint, not as a failing case. */
function unknownSteps(doc: LoadedYaml, tests: PlaybookTestsDocument, stepIds: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  tests.cases.forEach((c, i) => {
    (c.expect.path ?? []).forEach((id, j) => {
      if (stepIds.has(id)) return;
      const near = closest(id, stepIds);
      out.push(diagnostic('TEST_UNKNOWN_STEP', `case "${c.name}": the expected path goes through ${JSON.stringify(id)}, which is not a step of ${tests.playbook}`, doc.locate(['cases', i, 'expect', 'path', j]), near ? { hint: `did you mean ${near}?` } : {}));
    });
  });
  return out;
}
