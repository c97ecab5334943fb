import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatLocation } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import { CAPS } from '../run/harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function lint(file: string) {
  return loadPlaybook(file, readFileSync(join(ROOT, file)), CAPS);
}

/** Each broken fixture: every diagnostic as `file:line:column: CODE`, and text its formatted form must contain. */
const BROKEN: { name: string; expect: string[]; says: string[] }[] = [
  { name: 'unknown-executor', expect: ['7:10: STEP_UNKNOWN_KIND'], says: ['unknown step executor "memory.serch" (did you mean memory.search?)'] },
  { name: 'duplicate-id', expect: ['8:11: STEP_DUPLICATE_ID'], says: ['step id "a" is already used'] },
  { name: 'next-nowhere', expect: ['9:11: STEP_UNKNOWN_REF'], says: ['next: of first goes to "secnd"', '(did you mean second?)'] },
  { name: 'switch-unknown-case', expect: ['10:12: STEP_UNKNOWN_REF'], says: ['case cpu of route goes to "nowhere"'] },
  { name: 'decision-no-else', expect: ['8:7: DECISION_NO_DEFAULT'], says: ['- else: VALUE'] },
  { name: 'decision-shadowed-row', expect: ['10:9: DECISION_UNREACHABLE_ROW'], says: ['row 2 can never match: row 1 matches every case it does'] },
  { name: 'decision-duplicate-row', expect: ['12:9: DECISION_UNREACHABLE_ROW'], says: ['row 3 can never match: row 1 matches every case it does'] },
  { name: 'unknown-intent', expect: ['8:21: INTENT_UNKNOWN'], says: ['intent "restart_servce" is not in the catalog (did you mean restart_service?)'] },
  { name: 'unknown-prompt', expect: ['10:15: PROMPT_UNKNOWN'], says: ['"diagnostican"', '(did you mean diagnostician?)'] },
  { name: 'expr-syntax', expect: ['7:26: EXPR_SYNTAX'], says: ["unexpected 'and'"] },
  { name: 'expr-unknown-name', expect: ['11:19: EXPR_UNKNOWN_NAME'], says: ["unknown name 'frist' (did you mean 'first'?)"] },
  { name: 'yaml-syntax', expect: ['8:22: YAML_SYNTAX', '8:23: YAML_SYNTAX'], says: [] },
  { name: 'js-function', expect: ['8:16: YAML_TAG'], says: ['tag "!!js/function" is not accepted'] },
  { name: 'yaml-1.1', expect: ['1:1: YAML_DIRECTIVE'], says: ['%YAML 1.1 is not accepted'] },
  { name: 'schema-unknown-key', expect: ['7:5: SCHEMA'], says: ['unknown property "whenn" (did you mean "when"?)'] },
  { name: 'decision-unknown-outcome', expect: ['16:7: DECISION_UNKNOWN_OUTCOME'], says: ['case MANUAL: decision table decision never decides MANUAL'] },
  // Literal with: values against the executor's input schema, event fields against the event schema, schedules.
  {
    name: 'with-literal-value',
    expect: ['8:37: STEP_INVALID_INPUT', '11:44: STEP_INVALID_INPUT'],
    says: ['notify.send: with.severity must be one of: info, warning, critical (got informational)', 'memory.search: with.top must be an integer'],
  },
  {
    name: 'event-unknown-field',
    expect: ['6:9: EXPR_UNKNOWN_FIELD', '10:21: EXPR_UNKNOWN_FIELD'],
    says: ["event has no field 'lables' (did you mean 'labels'?)", "event has no field 'servce' (did you mean 'service'?)"],
  },
  {
    name: 'schedule-invalid',
    expect: ['5:21: SCHEDULE_CRON', '5:45: SCHEDULE_TIMEZONE'],
    says: ['invalid cron "0 25 * * *": Invalid value for hour: 25', 'unknown time zone "Mars/Olympus"'],
  },
  { name: 'schedule-every-zero', expect: ['5:22: SCHEDULE_EVERY'], says: ['every: must be a positive interval'] },
  // A schema error in one part does not hide the errors of the others: one pass reports them all.
  {
    name: 'independent-errors',
    expect: ['9:5: SCHEMA', '12:37: EXPR_SYNTAX', '17:11: STEP_UNKNOWN_REF'],
    says: ['steps[0]: unknown property "retries"', 'next: of third goes to "secnd"', '(did you mean second?)'],
  },
  {
    name: 'independent-parts',
    expect: ['5:3: SCHEMA', '6:9: EXPR_UNKNOWN_NAME', '8:26: SCHEMA', '9:48: SCHEMA', '10:18: EXPR_UNKNOWN_NAME', '17:18: SCHEMA', '20:27: EXPR_UNKNOWN_NAME', '24:7: DECISION_NO_DEFAULT', '26:11: STEP_UNKNOWN_REF'],
    says: ['unknown property "webhok" (did you mean "webhook"?)', "unknown name 'evnt'", "unknown name 'memroy' (did you mean 'memory'?)", 'next: of decide_it goes to "route"'],
  },
];

describe('lint: broken playbooks point at the exact place', () => {
  it.each(BROKEN)('$name', ({ name, expect: expected, says }) => {
    const file = `test/fixtures/broken/${name}.yaml`;
    const { playbook, diagnostics } = lint(file);
    expect(playbook).toBeNull();
    const lines = diagnostics.map(formatDiagnostic);
    expect(diagnostics.map((d) => `${formatLocation(d.location)}: ${d.code}`)).toEqual(expected.map((e) => `${file}:${e}`));
    expect(lines.every((l, i) => l.startsWith(`${file}:${expected[i]}: `))).toBe(true);
    for (const text of says) expect(lines.join('\n')).toContain(text);
  });
});

describe('lint: shipped playbooks', () => {
  it('playbooks/supervisor.yaml loads with zero diagnostics', () => {
    const { playbook, diagnostics } = lint('playbooks/supervisor.yaml');
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(playbook?.ref.name).toBe('supervisor');
  });
});
