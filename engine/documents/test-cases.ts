import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { createSchemaCheck } from '../schema-check/index.ts';
import type { LoadedYaml } from '../yaml/load.ts';
import { closest } from '../playbook/compile-context.ts';
import { PlaybookTests, type PlaybookTestsDocument } from '../../schemas/playbook-test.ts';

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
  return { tests, diagnostics: [] };
}
