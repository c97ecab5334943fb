/** Lint gives the same diagnostics, at the same file:line:column, whichever YAML path read the file. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compilePlaybook } from '../../engine/playbook/load.ts';
import { loadYaml, type YamlParser } from '../../engine/yaml/load.ts';
import { CAPS, ROOT } from '../run/harness.ts';

const lint = (file: string, text: string | Uint8Array, parser: YamlParser) => compilePlaybook(loadYaml(file, text, {}, parser), text, CAPS).diagnostics;

const fixtures = [
  'playbooks/supervisor.yaml',
  'test/fixtures/layout/playbooks/echo.yaml',
  ...readdirSync(join(ROOT, 'test/fixtures/broken')).map((f) => `test/fixtures/broken/${f}`),
];

describe('lint through the fast YAML path and the full one', () => {
  it.each(fixtures)('%s', (file) => {
    const text = readFileSync(join(ROOT, file));
    expect(lint(file, text, 'auto')).toEqual(lint(file, text, 'full'));
  });

  it('the supervisor rewritten in other YAML styles gives the same diagnostics both ways', () => {
    const value = loadYaml('s.yaml', readFileSync(join(ROOT, 'playbooks/supervisor.yaml'))).value as { steps: { id: string }[] };
    // A typo'd step id reference and an unknown key, so there is something to locate.
    const broken = {
      ...value,
      steps: [...value.steps, { id: 'extra', use: 'value', with: { x: '${nope.x}' }, next: 'verfy' }, { id: 'more', use: 'value', retries: 2 }],
    };
    for (const options of [{}, { indent: 4 }, { flowLevel: 2 }, { indentSeq: false }, { defaultStringType: 'QUOTE_DOUBLE' }] as const) {
      const text = stringify(broken, { ...options, lineWidth: 0 } as never);
      const diagnostics = lint('styled.yaml', text, 'auto');
      expect(diagnostics.map((d) => d.code).sort()).toEqual(['EXPR_UNKNOWN_NAME', 'SCHEMA', 'STEP_UNKNOWN_REF']);
      expect(diagnostics).toEqual(lint('styled.yaml', text, 'full'));
    }
  });
});
